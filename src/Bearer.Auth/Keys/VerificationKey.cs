using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// A public (or shared secret) key that verifies JWS signatures. Each key is bound to exactly one algorithm
/// (RFC 8725 §3.1), optionally to one issuer (it then never verifies a token from another issuer) and to a
/// <c>kid</c>. Create keys with the static factory methods; they refuse weak keys (HMAC keys shorter than the
/// hash output, RSA keys under 2048 bits) with an <see cref="ArgumentException"/>.
/// </summary>
public abstract class VerificationKey
{
    private protected VerificationKey(string algorithm, string? keyId, string? issuer)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Issuer = issuer;
    }

    /// <summary>Gets the one algorithm this key verifies, e.g. <c>RS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the key id (<c>kid</c>), or <see langword="null"/> when the key has none.</summary>
    public string? KeyId { get; }

    /// <summary>
    /// Gets the issuer this key is bound to, or <see langword="null"/> when it is unbound: it then serves any valid
    /// issuer that has no keys of its own.
    /// </summary>
    public string? Issuer { get; }

    /// <summary>
    /// Whether the algorithm came from the key's type rather than from its JWK's <c>alg</c> (one instance per algorithm
    /// of the type): such an instance whose algorithm <c>ValidAlgorithms</c> leaves out is simply never used.
    /// </summary>
    internal bool AlgorithmImplied { get; set; }

    /// <summary>Gets the JWK key type: <c>oct</c>, <c>RSA</c> or <c>EC</c>.</summary>
    public abstract string KeyType { get; }

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="signingInput"/> (the received
    /// <c>header.payload</c> bytes). Implementations check the exact signature length first.
    /// </summary>
    internal abstract bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature);

    /// <summary>Whether <paramref name="other"/> holds the same key material (same type and public values, or secret).</summary>
    internal abstract bool HasSameMaterial(VerificationKey other);

    /// <summary>
    /// This key's material (and <c>kid</c>) bound to <paramref name="algorithm"/> and <paramref name="issuer"/>, sharing
    /// its crypto context: how a JWK without <c>alg</c> serves each algorithm of its family, and a key set serves each
    /// issuer it may sign for, while every instance keeps exactly one algorithm and one issuer. The caller passes an
    /// algorithm of this key's family that the key is strong enough for. The copy keeps <see cref="AlgorithmImplied"/>.
    /// </summary>
    internal VerificationKey Rebind(string algorithm, string? issuer)
    {
        var rebound = RebindCore(algorithm, issuer);
        rebound.AlgorithmImplied = AlgorithmImplied;
        return rebound;
    }

    /// <summary>The new instance of <see cref="Rebind"/>, sharing this key's material and crypto context.</summary>
    private protected abstract VerificationKey RebindCore(string algorithm, string? issuer);

    /// <summary>
    /// Writes the members RFC 7638 §3.2 requires for this key type, in lexicographic order and with <c>kty</c>: the
    /// input of the thumbprint, and the key material of the JWK. For a symmetric key that includes the secret.
    /// </summary>
    internal abstract void WriteRequiredMembers(Utf8JsonWriter writer);

    /// <summary>
    /// Computes the JWK thumbprint (RFC 7638) of this key: SHA-256 over its required members, base64url. A good
    /// <c>kid</c>, and what a DPoP-bound token's <c>cnf.jkt</c> names (RFC 9449 §6.1).
    /// </summary>
    /// <remarks>
    /// For a symmetric (<c>oct</c>) key the required member is the secret itself, so its thumbprint is an unsalted
    /// hash of the secret: use it as a <c>kid</c> only where the secret's holders see it, never in a token or key set
    /// that others read (it would let them test guesses of a weak secret offline).
    /// </remarks>
    /// <returns>The thumbprint, 43 base64url characters.</returns>
    public string ComputeJwkThumbprint()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteRequiredMembers(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>
    /// Whether <paramref name="other"/> is this key in every respect that matters for verification: algorithm,
    /// <c>kid</c>, issuer binding and material. Lets a refreshed key set keep the instances it already had, so
    /// their warm crypto contexts and the repeat-token cache entries that refer to them survive a refresh.
    /// </summary>
    internal bool IsSameKeyAs(VerificationKey other) =>
        ReferenceEquals(this, other)
        || (string.Equals(Algorithm, other.Algorithm, StringComparison.Ordinal)
            && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
            && string.Equals(Issuer, other.Issuer, StringComparison.Ordinal)
            && HasSameMaterial(other));

    /// <summary>Creates an HMAC key (<c>HS256</c>, <c>HS384</c> or <c>HS512</c>).</summary>
    /// <param name="key">The secret; at least as long as the hash output (32, 48 or 64 bytes). It is copied.</param>
    /// <param name="algorithm">The algorithm; defaults to <c>HS256</c>.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not HMAC or the secret is too short.</exception>
    public static VerificationKey Symmetric(ReadOnlySpan<byte> key, string algorithm = JwsAlgorithms.HS256, string? keyId = null, string? issuer = null) =>
        CreateSymmetric(key, algorithm, keyId, issuer, nameof(key));

    /// <summary>Creates an RSA key (<c>RS*</c> or <c>PS*</c>) from the public part of <paramref name="rsa"/>.</summary>
    /// <param name="rsa">The key; only its public parameters are copied.</param>
    /// <param name="algorithm">The algorithm; defaults to <c>RS256</c>. A key verifies PKCS#1 v1.5 or PSS, never both.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not RSA or the key is under 2048 bits.</exception>
    public static VerificationKey Rsa(RSA rsa, string algorithm = JwsAlgorithms.RS256, string? keyId = null, string? issuer = null)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return Rsa(rsa.ExportParameters(includePrivateParameters: false), algorithm, keyId, issuer);
    }

    /// <summary>Creates an RSA key from its public parameters (modulus and exponent).</summary>
    /// <param name="parameters">The public parameters.</param>
    /// <param name="algorithm">The algorithm; defaults to <c>RS256</c>.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not RSA, the key is under 2048 bits or its exponent is unusable.</exception>
    internal static VerificationKey Rsa(RSAParameters parameters, string algorithm = JwsAlgorithms.RS256, string? keyId = null, string? issuer = null) =>
        CreateRsa(parameters, algorithm, keyId, issuer, nameof(parameters));

    /// <summary>Creates an ECDSA key from the public part of <paramref name="ecdsa"/>.</summary>
    /// <param name="ecdsa">The key (P-256, P-384 or P-521); only its public parameters are copied.</param>
    /// <param name="algorithm">The algorithm; defaults to the one its curve implies (ES256, ES384, ES512).</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The curve is unsupported or does not match <paramref name="algorithm"/>.</exception>
    public static VerificationKey Ecdsa(ECDsa ecdsa, string? algorithm = null, string? keyId = null, string? issuer = null)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        return Ecdsa(ecdsa.ExportParameters(includePrivateParameters: false), algorithm, keyId, issuer);
    }

    /// <summary>Creates an ECDSA key from its public parameters.</summary>
    /// <param name="parameters">The public parameters (named curve P-256, P-384 or P-521).</param>
    /// <param name="algorithm">The algorithm; defaults to the one its curve implies.</param>
    /// <param name="keyId">The optional <c>kid</c>.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The curve is unsupported, the point is invalid or the algorithm does not match the curve.</exception>
    internal static VerificationKey Ecdsa(ECParameters parameters, string? algorithm = null, string? keyId = null, string? issuer = null) =>
        EcdsaVerificationKey.Create(parameters, algorithm, keyId, issuer, nameof(parameters));

    /// <summary>Creates a key from an X.509 certificate's RSA or ECDSA public key.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="algorithm">The algorithm; defaults to <c>RS256</c> for RSA and the curve's algorithm for ECDSA.</param>
    /// <param name="keyId">The optional <c>kid</c>; defaults to none.</param>
    /// <param name="issuer">The optional issuer binding.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The certificate holds neither an RSA nor an ECDSA key, or the key is too weak.</exception>
    public static VerificationKey Certificate(X509Certificate2 certificate, string? algorithm = null, string? keyId = null, string? issuer = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return Rsa(rsa, algorithm ?? JwsAlgorithms.RS256, keyId, issuer);
            }
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return Ecdsa(ecdsa, algorithm, keyId, issuer);
            }
        }

        throw KeyRefusal.Create("The certificate holds neither an RSA nor an ECDSA public key.", nameof(certificate));
    }

    /// <summary>
    /// <see cref="Symmetric"/>, with a refused secret reported as the caller's parameter <paramref name="keyParameter"/>
    /// (the signing key's factory calls its secret <c>secret</c>): one rule for how weak a secret may be.
    /// </summary>
    internal static VerificationKey CreateSymmetric(ReadOnlySpan<byte> key, string algorithm, string? keyId, string? issuer, string keyParameter)
    {
        var alg = RequireAlgorithm(algorithm, "HS", nameof(algorithm));
        var minimum = JwsAlgorithms.HashSizeOf(alg);
        if (key.Length < minimum)
        {
            throw KeyRefusal.Create($"An {alg} key must be at least {minimum} bytes (RFC 7518 §3.2); this one has {key.Length}.", keyParameter);
        }

        return new SymmetricVerificationKey(key.ToArray(), alg, keyId, issuer);
    }

    /// <summary><see cref="Rsa(RSAParameters, string, string?, string?)"/>, with a refused key reported as the caller's parameter <paramref name="keyParameter"/>.</summary>
    internal static VerificationKey CreateRsa(RSAParameters parameters, string algorithm, string? keyId, string? issuer, string keyParameter)
    {
        var alg = algorithm.StartsWith("PS", StringComparison.Ordinal)
            ? RequireAlgorithm(algorithm, "PS", nameof(algorithm))
            : RequireAlgorithm(algorithm, "RS", nameof(algorithm));
        return RsaVerificationKey.Create(parameters, alg, keyId, issuer, keyParameter);
    }

    internal static string RequireAlgorithm(string algorithm, string family, string paramName)
    {
        var alg = JwsAlgorithms.Find(algorithm);
        if (alg is null || !alg.StartsWith(family, StringComparison.Ordinal))
        {
            throw KeyRefusal.Create($"'{algorithm}' is not a supported {family}* algorithm.", paramName);
        }

        return alg;
    }
}
