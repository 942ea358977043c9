using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>
/// One key of a <see cref="SigningKeyRing"/> as an <see cref="ISigningKeyStore"/> keeps it: its <c>kid</c> and
/// algorithm, when it was created, signs, stops signing and stops being published, and its private key. A store that
/// shares keys between instances must protect <see cref="PrivateKey"/> at rest (the Redis store encrypts it with
/// ASP.NET Core Data Protection).
/// </summary>
public sealed class SigningKeyRecord
{
    private readonly byte[] _privateKey;

    /// <summary>Creates a record, checking that its times are in order.</summary>
    /// <param name="keyId">The <c>kid</c>: the public key's JWK thumbprint (RFC 7638), a random id for HMAC.</param>
    /// <param name="algorithm">The algorithm, one of <see cref="JwsAlgorithms.All"/>.</param>
    /// <param name="createdAt">When the key was created (and first published).</param>
    /// <param name="activatesAt">When it starts signing; not before <paramref name="createdAt"/>.</param>
    /// <param name="retiresAt">When it stops signing; after <paramref name="activatesAt"/>.</param>
    /// <param name="expiresAt">When it stops being published; not before <paramref name="retiresAt"/>.</param>
    /// <param name="privateKey">The private key: PKCS#8 for RSA and ECDSA, the secret for HMAC. It is copied.</param>
    /// <exception cref="ArgumentException">A value is missing, unknown or out of order.</exception>
    public SigningKeyRecord(
        string keyId,
        string algorithm,
        DateTimeOffset createdAt,
        DateTimeOffset activatesAt,
        DateTimeOffset retiresAt,
        DateTimeOffset expiresAt,
        ReadOnlySpan<byte> privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        Algorithm = JwsAlgorithms.Find(algorithm) ?? throw new ArgumentException($"'{algorithm}' is not one of {string.Join(", ", JwsAlgorithms.All)}.", nameof(algorithm));
        if (activatesAt < createdAt)
        {
            throw new ArgumentException($"The key '{keyId}' activates ({activatesAt:O}) before it is created ({createdAt:O}).", nameof(activatesAt));
        }

        if (retiresAt <= activatesAt)
        {
            throw new ArgumentException($"The key '{keyId}' retires ({retiresAt:O}) before it activates ({activatesAt:O}).", nameof(retiresAt));
        }

        if (expiresAt < retiresAt)
        {
            throw new ArgumentException($"The key '{keyId}' expires ({expiresAt:O}) before it retires ({retiresAt:O}).", nameof(expiresAt));
        }

        if (privateKey.IsEmpty)
        {
            throw new ArgumentException($"The key '{keyId}' has no private key.", nameof(privateKey));
        }

        KeyId = keyId;
        CreatedAt = createdAt;
        ActivatesAt = activatesAt;
        RetiresAt = retiresAt;
        ExpiresAt = expiresAt;
        _privateKey = privateKey.ToArray();
    }

    /// <summary>Gets the key id, the <c>kid</c> of the tokens it signs and of its published JWK.</summary>
    public string KeyId { get; }

    /// <summary>Gets the algorithm it signs with.</summary>
    public string Algorithm { get; }

    /// <summary>Gets when it was created: from then on it is published.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when it starts signing.</summary>
    public DateTimeOffset ActivatesAt { get; }

    /// <summary>Gets when it stops signing.</summary>
    public DateTimeOffset RetiresAt { get; }

    /// <summary>Gets when it stops being published (and a store may forget it): the last token it signed has expired.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the private key: PKCS#8 for RSA and ECDSA, the secret for HMAC. Never log or publish it.</summary>
    public ReadOnlySpan<byte> PrivateKey => _privateKey;

    /// <summary>Whether the key signs at <paramref name="at"/>.</summary>
    internal bool SignsAt(DateTimeOffset at) => ActivatesAt <= at && at < RetiresAt;

    /// <summary>Generates a key for <paramref name="algorithm"/>; its <c>kid</c> is its public key's thumbprint.</summary>
    internal static SigningKeyRecord Generate(string algorithm, DateTimeOffset createdAt, DateTimeOffset activatesAt, DateTimeOffset retiresAt, DateTimeOffset expiresAt)
    {
        switch (algorithm[0])
        {
            case 'H':
                var secret = RandomNumberGenerator.GetBytes(JwsAlgorithms.HashSizeOf(algorithm));
                try
                {
                    // A random kid: a thumbprint of a secret is an unsalted hash of it.
                    var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                    return new SigningKeyRecord(id, algorithm, createdAt, activatesAt, retiresAt, expiresAt, secret);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }

            case 'E':
                using (var ecdsa = ECDsa.Create(EcdsaVerificationKey.CurveOf(algorithm)))
                {
                    var id = VerificationKey.Ecdsa(ecdsa, algorithm).ComputeJwkThumbprint();
                    return new SigningKeyRecord(id, algorithm, createdAt, activatesAt, retiresAt, expiresAt, ecdsa.ExportPkcs8PrivateKey());
                }

            default:
                using (var rsa = RSA.Create(RsaVerificationKey.MinimumKeySizeInBits))
                {
                    var id = VerificationKey.Rsa(rsa, algorithm).ComputeJwkThumbprint();
                    return new SigningKeyRecord(id, algorithm, createdAt, activatesAt, retiresAt, expiresAt, rsa.ExportPkcs8PrivateKey());
                }
        }
    }

    /// <summary>
    /// The signing key this record holds. For RSA and ECDSA the <c>kid</c> must be the public key's thumbprint, so a
    /// record cannot publish one key under another's id.
    /// </summary>
    /// <exception cref="ArgumentException">The private key cannot be read, or does not match the <c>kid</c>.</exception>
    internal SigningKey ToSigningKey()
    {
        try
        {
            switch (Algorithm[0])
            {
                case 'H':
                    return SigningKey.Symmetric(_privateKey, Algorithm, KeyId);
                case 'E':
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportPkcs8PrivateKey(_privateKey, out _);
                        RequireThumbprint(VerificationKey.Ecdsa(ecdsa, Algorithm));
                        return SigningKey.Ecdsa(ecdsa, Algorithm, KeyId);
                    }

                default:
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportPkcs8PrivateKey(_privateKey, out _);
                        RequireThumbprint(VerificationKey.Rsa(rsa, Algorithm));
                        return SigningKey.Rsa(rsa, Algorithm, KeyId);
                    }
            }
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"The private key of '{KeyId}' ({Algorithm}) cannot be read: {ex.Message}", ex);
        }
    }

    private void RequireThumbprint(VerificationKey publicKey)
    {
        if (!string.Equals(publicKey.ComputeJwkThumbprint(), KeyId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The key '{KeyId}' ({Algorithm}) holds a private key whose thumbprint is not its kid.");
        }
    }
}
