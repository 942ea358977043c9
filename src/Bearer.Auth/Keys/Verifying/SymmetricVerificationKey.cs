using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace Bearer.Auth;

/// <summary>An HMAC key bound to one of HS256/384/512.</summary>
/// <remarks>
/// Each verification reuses a keyed HMAC context instead of keying a new one (the key schedule and the native context
/// set-up cost about as much as the MAC of a typical token): contexts come from the shared framework's object pool,
/// one thread at a time, and go back after <see cref="IncrementalHash.TryGetHashAndReset(Span{byte}, out int)"/> has
/// reset them to the keyed initial state.
/// </remarks>
internal sealed class SymmetricVerificationKey : VerificationKey
{
    private readonly byte[] _key;
    private readonly int _macSize;
    private readonly ObjectPool<IncrementalHash> _contexts;

    internal SymmetricVerificationKey(byte[] key, string algorithm, string? keyId, string? issuer)
        : base(algorithm, keyId, issuer)
    {
        _key = key;
        _macSize = JwsAlgorithms.HashSizeOf(algorithm);

        // Enough for every core to hold one while a few more are in flight; the provider's pool disposes the extras.
        _contexts = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 }
            .Create(new KeyedHmacPolicy(JwsAlgorithms.HashOf(algorithm), key));
    }

    public override string KeyType => "oct";

    /// <summary>The secret's length in bytes, which bounds the HS* algorithms it may serve (RFC 7518 §3.2).</summary>
    internal int KeySize => _key.Length;

    private protected override VerificationKey RebindCore(string algorithm, string? issuer) =>
        CreateSymmetric(_key, algorithm, KeyId, issuer, nameof(algorithm)); // the same length rule as any new key

    internal override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        // JOSE defines no truncated MACs: the full tag, and nothing but it, must match.
        if (signature.Length != _macSize)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[64];
        var written = ComputeMac(signingInput, mac);
        return written == _macSize && CryptographicOperations.FixedTimeEquals(mac[..written], signature);
    }

    /// <summary>
    /// The MAC of <paramref name="data"/> into <paramref name="destination"/> (at least the hash size) with a pooled
    /// keyed context, or 0 when it cannot be written; the signing key's HMAC too, so signing saves the key set-up.
    /// </summary>
    internal int ComputeMac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hmac = _contexts.Get();
        hmac.AppendData(data);
        if (!hmac.TryGetHashAndReset(destination, out var written) || written != _macSize)
        {
            // Cannot happen with a large enough buffer; never put back a context in an unknown state.
            hmac.Dispose();
            return 0;
        }

        _contexts.Return(hmac);
        return written;
    }

    internal override void WriteRequiredMembers(Utf8JsonWriter writer)
    {
        writer.WriteBase64UrlString("k", _key);
        writer.WriteString("kty", KeyType);
    }

    internal override bool HasSameMaterial(VerificationKey other) =>
        other is SymmetricVerificationKey symmetric && CryptographicOperations.FixedTimeEquals(_key, symmetric._key);

    /// <summary>Creates contexts keyed with this key; every returned context is reusable (it was reset when read).</summary>
    private sealed class KeyedHmacPolicy(HashAlgorithmName hash, byte[] key) : PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(hash, key);

        public override bool Return(IncrementalHash obj) => true;
    }
}
