using System.Runtime.CompilerServices;

// The RFC 3711 and RFC 7714 known-answer tests reach the key derivation and session-key constructor directly.
[assembly: InternalsVisibleTo("Nio.WebRtc.Tests")]
