namespace Nio.WebRtc.Stun;

/// <summary>Attribute types NIO reads or writes (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort PasswordAlgorithm = 0x001D;
    public const ushort Userhash = 0x001E;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    /// <summary>
    /// "Attributes with type values between 0x0000 and 0x7FFF are comprehension-required attributes, which means that
    /// the STUN agent cannot successfully process the message unless it understands the attribute." (RFC 8489 §14)
    /// </summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;

    /// <summary>The comprehension-required attributes this implementation understands (or may safely ignore in a Binding request).</summary>
    public static bool IsUnderstood(ushort type) => type switch
    {
        MappedAddress or Username or MessageIntegrity or ErrorCode or UnknownAttributes or Realm or Nonce
            or MessageIntegritySha256 or PasswordAlgorithm or Userhash or XorMappedAddress or Priority or UseCandidate => true,
        _ => !IsComprehensionRequired(type),
    };
}

/// <summary>The error codes NIO answers with (RFC 8489 §14.8, RFC 8445 §7.3.1.1).</summary>
public static class StunErrorCode
{
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;
}
