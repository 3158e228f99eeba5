// Tests here start whole processes (nio up, docker-compose) and must not race for the machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// They drive ./nio, Debian packages and POSIX signals: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
