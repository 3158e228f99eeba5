using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Nio.TestSupport;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Srtp;
using Xunit.Abstractions;

namespace Nio.WebRtc.Tests.Dtls;

/// <summary>The DTLS-SRTP server against another implementation: OpenSSL's <c>s_client</c>, over real UDP.</summary>
public sealed class OpenSslInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nio-dtls-");
    private readonly DtlsServer _server = new(DtlsCertificate.Generate(), new DtlsServerOptions());

    public void Dispose()
    {
        _server.Dispose();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData("SRTP_AEAD_AES_128_GCM", SrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", SrtpProfile.AeadAes128Gcm)]
    public async Task Openssl_connects_exports_the_same_srtp_keys_and_its_close_notify_ends_the_session(string offered, SrtpProfile chosen)
    {
        var certificate = await ClientCertificateAsync();
        using var endpoint = new UdpDtlsEndpoint(_server, [certificate.Fingerprint]);
        using var client = new OpenSslClient(endpoint.Port, offered, SrtpProfiles.KeyingMaterialLength(chosen), certificate);

        var session = await endpoint.Accepted.WaitAsync(Generous);
        var keys = await session.Connected.WaitAsync(Generous);
        var exported = await client.KeyingMaterialAsync().WaitAsync(Generous);

        Assert.Equal(chosen, keys.Profile);
        Assert.Equal(Convert.ToHexString(keys.Material), exported);
        Assert.Contains($"SRTP Extension negotiated, profile={(chosen == SrtpProfile.AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80")}", client.Output);
        Assert.Contains("Extended master secret: yes", client.Output);
        Assert.Contains(_server.Certificate.Fingerprint.ToString()[8..], client.ServerFingerprint(), StringComparison.Ordinal);

        // End of input makes s_client shut the connection down with close_notify.
        client.CloseInput();
        var end = await session.Closed.WaitAsync(Generous);
        Assert.Equal(DtlsEndReason.ClosedByPeer, end.Reason);
    }

    [Fact]
    public async Task Openssl_with_a_certificate_other_than_the_offered_one_is_refused()
    {
        var certificate = await ClientCertificateAsync();
        var offered = await ClientCertificateAsync();
        using var endpoint = new UdpDtlsEndpoint(_server, [offered.Fingerprint]);
        using var client = new OpenSslClient(endpoint.Port, "SRTP_AES128_CM_SHA1_80", 60, certificate);

        var session = await endpoint.Accepted.WaitAsync(Generous);
        var end = await session.Closed.WaitAsync(Generous);
        await client.ExitAsync().WaitAsync(Generous);

        Assert.Equal(DtlsEndReason.FingerprintMismatch, end.Reason);
        Assert.True(session.Connected.IsCanceled);
        Assert.Contains("bad certificate", client.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Handshake_time_with_openssl()
    {
        var certificate = await ClientCertificateAsync();
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            using var endpoint = new UdpDtlsEndpoint(_server, [certificate.Fingerprint]);
            using var client = new OpenSslClient(endpoint.Port, "SRTP_AES128_CM_SHA1_80", 60, certificate);
            var session = await endpoint.Accepted.WaitAsync(Generous);
            await session.Connected.WaitAsync(Generous);
            times.Add((DateTime.UtcNow - endpoint.FirstDatagramAt).TotalMilliseconds);
        }

        times.Sort();
        output.WriteLine($"DTLS handshake with openssl s_client over loopback UDP, 10 runs (first datagram to keys): median {times[5]:F1} ms, max {times[9]:F1} ms");
        Assert.Equal(10, times.Count);
    }

    /// <summary>An ECDSA P-256 client certificate made by OpenSSL, and its fingerprint computed by .NET.</summary>
    private async Task<ClientCertificate> ClientCertificateAsync()
    {
        var name = Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N"));
        var (exitCode, _, error) = await TestHost.RunAsync("openssl",
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".pem", "-days", "1", "-subj", "/CN=client",
        ]);
        Assert.True(exitCode == 0, error);
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(name + ".pem"));
        return new ClientCertificate(name + ".pem", name + ".key", DtlsFingerprint.Sha256(certificate.RawData));
    }

    private sealed record ClientCertificate(string CertificateFile, string KeyFile, DtlsFingerprint Fingerprint);

    /// <summary><c>openssl s_client</c> over DTLS 1.2 with use_srtp, printing the exported keying material.</summary>
    private sealed class OpenSslClient : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        public OpenSslClient(int port, string srtpProfiles, int exportLength, ClientCertificate certificate)
        {
            var start = new ProcessStartInfo("openssl")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-use_srtp", srtpProfiles,
                "-cert", certificate.CertificateFile, "-key", certificate.KeyFile,
                "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", exportLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-showcerts",
            })
            {
                start.ArgumentList.Add(argument);
            }

            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, line) => _lines.Enqueue(line.Data ?? "");
            _process.ErrorDataReceived += (_, line) => _lines.Enqueue(line.Data ?? "");
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output => string.Join('\n', _lines);

        /// <summary>The hex after "Keying material:" in s_client's session report.</summary>
        public async Task<string> KeyingMaterialAsync()
        {
            const string prefix = "Keying material:";
            while (true)
            {
                var line = _lines.FirstOrDefault(text => text.TrimStart().StartsWith(prefix, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line.Trim()[prefix.Length..].Trim();
                }

                Assert.False(_process.HasExited, "openssl exited before the handshake finished:\n" + Output);
                await Task.Delay(20);
            }
        }

        /// <summary>The SHA-256 fingerprint of the certificate the server sent (from -showcerts), as OpenSSL computes it.</summary>
        public string ServerFingerprint()
        {
            var pem = Output[Output.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..];
            pem = pem[..(pem.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + "-----END CERTIFICATE-----".Length)];
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return DtlsFingerprint.Sha256(certificate.RawData).ToString();
        }

        public void CloseInput() => _process.StandardInput.Close();

        public Task ExitAsync() => _process.WaitForExitAsync();

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
