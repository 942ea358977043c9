using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>
/// A private (or shared secret) key that signs JWS tokens, bound to exactly one algorithm: every algorithm
/// <see cref="VerificationKey"/> verifies (HS, RS, PS and ES with SHA-256/384/512). Its public half, for the validator
/// and for a published JWKS (<see cref="Jwks.Write(IEnumerable{VerificationKey})"/>), is
/// <see cref="ToVerificationKey"/>. The factories copy the key and refuse weak ones (HMAC secrets shorter than the
/// hash output, RSA keys under 2048 bits) with an <see cref="ArgumentException"/>.
/// </summary>
public abstract class SigningKey
{
    private protected SigningKey(string algorithm, string? keyId)
    {
        Algorithm = algorithm;
        KeyId = keyId;
    }

    /// <summary>Gets the one algorithm this key signs with, e.g. <c>ES256</c>: the token's <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the key id (<c>kid</c>) to put in the token header, or <see langword="null"/>.</summary>
    public string? KeyId { get; }

    /// <summary>Gets the JWK key type: <c>oct</c>, <c>RSA</c> or <c>EC</c>.</summary>
    public abstract string KeyType { get; }

    /// <summary>Gets the size of a signature in bytes (the HMAC length, the RSA modulus, or twice the EC field).</summary>
    public abstract int SignatureSize { get; }

    /// <summary>Signs <paramref name="data"/> (the ASCII <c>header.payload</c> of a JWS) into <paramref name="destination"/>.</summary>
    /// <param name="data">The signing input.</param>
    /// <param name="destination">At least <see cref="SignatureSize"/> bytes.</param>
    /// <returns>The number of bytes written: <see cref="SignatureSize"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < SignatureSize)
        {
            throw new ArgumentException($"The destination needs {SignatureSize} bytes; it has {destination.Length}.", nameof(destination));
        }

        var written = SignCore(data, destination);
        return written == SignatureSize ? written : throw new CryptographicException($"The {Algorithm} signature has {written} bytes, not {SignatureSize}.");
    }

    /// <summary>Signs <paramref name="data"/> (the ASCII <c>header.payload</c> of a JWS).</summary>
    /// <param name="data">The signing input.</param>
    /// <returns>The signature (JWS form: IEEE P1363 <c>R‖S</c> for ECDSA).</returns>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[SignatureSize];
        Sign(data, signature);
        return signature;
    }

    /// <summary>Returns the key that verifies this key's signatures: the public key, or for HMAC the same secret.</summary>
    /// <param name="issuer">The issuer to bind it to, so it vouches for that issuer only; <see langword="null"/> for none.</param>
    /// <returns>A new key with the same algorithm and <c>kid</c>.</returns>
    public abstract VerificationKey ToVerificationKey(string? issuer = null);

    /// <summary>Creates an HMAC signing key (<c>HS256</c>, <c>HS384</c> or <c>HS512</c>).</summary>
    /// <param name="secret">The secret; at least as long as the hash output (32, 48 or 64 bytes). It is copied.</param>
    /// <param name="algorithm">The algorithm; defaults to <c>HS256</c>.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not HMAC or the secret is too short.</exception>
    public static SigningKey Symmetric(ReadOnlySpan<byte> secret, string algorithm = JwsAlgorithms.HS256, string? keyId = null)
    {
        // The same checks as the verifying key: one rule for how weak a secret may be.
        var verification = VerificationKey.CreateSymmetric(secret, algorithm, keyId, issuer: null, nameof(secret));
        return new SymmetricSigningKey(secret.ToArray(), verification.Algorithm, keyId);
    }

    /// <summary>Creates an RSA signing key (<c>RS*</c> or <c>PS*</c>) from <paramref name="rsa"/>, which must hold its private key.</summary>
    /// <param name="rsa">The key pair; its parameters are copied (the key must be exportable).</param>
    /// <param name="algorithm">The algorithm; defaults to <c>RS256</c>. A key signs PKCS#1 v1.5 or PSS, never both.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not RSA, the key is under 2048 bits, or it has no (exportable) private key.</exception>
    public static SigningKey Rsa(RSA rsa, string algorithm = JwsAlgorithms.RS256, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        RSAParameters parameters;
        try
        {
            parameters = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("The RSA key must hold an exportable private key to sign.", nameof(rsa), ex);
        }

        var verification = VerificationKey.CreateRsa(parameters, algorithm, keyId, issuer: null, nameof(rsa));
        return new RsaSigningKey(parameters, verification.Algorithm, keyId);
    }

    /// <summary>Creates an ECDSA signing key from <paramref name="ecdsa"/>, which must hold its private key.</summary>
    /// <param name="ecdsa">The key pair (P-256, P-384 or P-521); its parameters are copied (the key must be exportable).</param>
    /// <param name="algorithm">The algorithm; defaults to the one its curve implies (ES256, ES384, ES512).</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The curve is unsupported or does not match the algorithm, or the key has no (exportable) private key.</exception>
    public static SigningKey Ecdsa(ECDsa ecdsa, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        ECParameters parameters;
        try
        {
            parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("The ECDSA key must hold an exportable private key to sign.", nameof(ecdsa), ex);
        }

        var verification = EcdsaVerificationKey.Create(parameters, algorithm, keyId, issuer: null, nameof(ecdsa));
        return new EcdsaSigningKey(parameters, verification.Algorithm, keyId);
    }

    /// <summary>
    /// Generates a new key for <paramref name="algorithm"/>: a random secret of the hash size for HS*, an RSA-2048 key
    /// pair for RS*/PS*, a key pair on the curve for ES*. Its <c>kid</c> is <paramref name="keyId"/> or else its
    /// public key's JWK thumbprint (RFC 7638; for HMAC a random id, so the secret's hash is never published).
    /// </summary>
    /// <param name="algorithm">One of <see cref="JwsAlgorithms.All"/>.</param>
    /// <param name="keyId">The <c>kid</c>; defaults as described.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not one this library signs with.</exception>
    public static SigningKey Generate(string algorithm, string? keyId = null)
    {
        var alg = JwsAlgorithms.Find(algorithm) ?? throw new ArgumentException($"'{algorithm}' is not one of {string.Join(", ", JwsAlgorithms.All)}.", nameof(algorithm));
        switch (alg[0])
        {
            case 'H':
                var secret = RandomNumberGenerator.GetBytes(JwsAlgorithms.HashSizeOf(alg));
                return Symmetric(secret, alg, keyId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            case 'E':
                using (var ecdsa = System.Security.Cryptography.ECDsa.Create(EcdsaVerificationKey.CurveOf(alg)))
                {
                    return Ecdsa(ecdsa, alg, keyId ?? VerificationKey.Ecdsa(ecdsa, alg).ComputeJwkThumbprint());
                }

            default:
                using (var rsa = System.Security.Cryptography.RSA.Create(RsaVerificationKey.MinimumKeySizeInBits))
                {
                    return Rsa(rsa, alg, keyId ?? VerificationKey.Rsa(rsa, alg).ComputeJwkThumbprint());
                }
        }
    }

    /// <summary>Does the signing; <paramref name="destination"/> has room for <see cref="SignatureSize"/> bytes.</summary>
    private protected abstract int SignCore(ReadOnlySpan<byte> data, Span<byte> destination);
}
