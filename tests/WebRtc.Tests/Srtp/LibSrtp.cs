using System.Runtime.InteropServices;
using Nio.WebRtc.Srtp;

namespace Nio.WebRtc.Tests.Srtp;

/// <summary>
/// Debian's libsrtp2 (package <c>libsrtp2-1</c>) through P/Invoke: an independent SRTP implementation to compare with,
/// in the tests and as the benchmark's baseline. One instance is one <c>srtp_t</c> session with one master key for
/// every SSRC, inbound or outbound.
/// </summary>
internal sealed class LibSrtp : IDisposable
{
    private const string Library = "libsrtp2.so.1";

    private static readonly Lazy<int> Initialised = new(srtp_init);

    private IntPtr _session;

    public LibSrtp(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool inbound)
    {
        if (Unavailable() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (Initialised.Value != 0)
        {
            throw new InvalidOperationException($"srtp_init failed: {Initialised.Value}");
        }

        var policy = new Policy { SsrcType = inbound ? 2 : 3, WindowSize = 128 };
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            srtp_crypto_policy_set_aes_gcm_128_16_auth(ref policy.Rtp);
            srtp_crypto_policy_set_aes_gcm_128_16_auth(ref policy.Rtcp);
        }
        else
        {
            srtp_crypto_policy_set_rtp_default(ref policy.Rtp);
            srtp_crypto_policy_set_rtcp_default(ref policy.Rtcp);
        }

        // libsrtp takes the master key and salt as one string of bytes.
        var key = GCHandle.Alloc(masterKey.ToArray().Concat(masterSalt.ToArray()).ToArray(), GCHandleType.Pinned);
        try
        {
            policy.Key = key.AddrOfPinnedObject();
            var status = srtp_create(out _session, ref policy);
            if (status != 0)
            {
                throw new InvalidOperationException($"srtp_create failed: {status}");
            }
        }
        finally
        {
            key.Free();
        }
    }

    /// <summary>Whether the library loads; the message says how to get it when it does not.</summary>
    public static string? Unavailable()
    {
        if (NativeLibrary.TryLoad(Library, out var handle))
        {
            NativeLibrary.Free(handle);
            return null;
        }

        return $"{Library} is not installed: apt-get install libsrtp2-1 (./nio test installs it)";
    }

    /// <summary>Protects the first <paramref name="length"/> bytes in place; returns the new length or the error code negated.</summary>
    public int ProtectRtp(byte[] buffer, int length) => Result(srtp_protect(_session, buffer, ref length), length);

    public int UnprotectRtp(byte[] buffer, int length) => Result(srtp_unprotect(_session, buffer, ref length), length);

    public int ProtectRtcp(byte[] buffer, int length) => Result(srtp_protect_rtcp(_session, buffer, ref length), length);

    public int UnprotectRtcp(byte[] buffer, int length) => Result(srtp_unprotect_rtcp(_session, buffer, ref length), length);

    public void Dispose()
    {
        if (_session != IntPtr.Zero)
        {
            srtp_dealloc(_session);
            _session = IntPtr.Zero;
        }
    }

    private static int Result(int status, int length) => status == 0 ? length : -status;

    // srtp.h (libsrtp 2.5): srtp_crypto_policy_t and srtp_policy_t.
    [StructLayout(LayoutKind.Sequential)]
    private struct CryptoPolicy
    {
        public int CipherType;
        public int CipherKeyLength;
        public int AuthType;
        public int AuthKeyLength;
        public int AuthTagLength;
        public int SecurityServices;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Policy
    {
        public int SsrcType; // ssrc_any_inbound = 2, ssrc_any_outbound = 3
        public uint SsrcValue;
        public CryptoPolicy Rtp;
        public CryptoPolicy Rtcp;
        public IntPtr Key;
        public IntPtr Keys;
        public nuint MasterKeyCount;
        public IntPtr DeprecatedEkt;
        public nuint WindowSize;
        public int AllowRepeatTransmission;
        public IntPtr EncryptedExtensionHeaders;
        public int EncryptedExtensionHeaderCount;
        public IntPtr Next;
    }

    [DllImport(Library)]
    private static extern int srtp_init();

    [DllImport(Library)]
    private static extern int srtp_create(out IntPtr session, ref Policy policy);

    [DllImport(Library)]
    private static extern int srtp_dealloc(IntPtr session);

    [DllImport(Library)]
    private static extern void srtp_crypto_policy_set_rtp_default(ref CryptoPolicy policy);

    [DllImport(Library)]
    private static extern void srtp_crypto_policy_set_rtcp_default(ref CryptoPolicy policy);

    [DllImport(Library)]
    private static extern void srtp_crypto_policy_set_aes_gcm_128_16_auth(ref CryptoPolicy policy);

    [DllImport(Library)]
    private static extern int srtp_protect(IntPtr session, byte[] buffer, ref int length);

    [DllImport(Library)]
    private static extern int srtp_unprotect(IntPtr session, byte[] buffer, ref int length);

    [DllImport(Library)]
    private static extern int srtp_protect_rtcp(IntPtr session, byte[] buffer, ref int length);

    [DllImport(Library)]
    private static extern int srtp_unprotect_rtcp(IntPtr session, byte[] buffer, ref int length);
}
