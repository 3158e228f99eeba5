using System.Runtime.CompilerServices;

// The tests' in-process DTLS client signs with a DtlsCertificate's private key.
[assembly: InternalsVisibleTo("Nio.WebRtc.Tests")]
