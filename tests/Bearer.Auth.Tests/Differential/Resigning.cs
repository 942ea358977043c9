namespace Bearer.Auth.Tests.Differential;

/// <summary>Who signed a mutated token's (possibly changed) signing input.</summary>
internal enum Resigning
{
    /// <summary>Nobody: the original signature is kept (or itself mutated).</summary>
    None,

    /// <summary>A key we trust: the one the mutated header's <c>kid</c> (or else <c>alg</c>) points to.</summary>
    TrustedKey,

    /// <summary>A key nobody trusts (a random secret, the RSA public key as an HMAC secret, a fresh key pair).</summary>
    Attacker,
}
