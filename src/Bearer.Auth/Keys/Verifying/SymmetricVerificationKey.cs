using System.Text.Json;
using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An HMAC key bound to one of HS256/384/512.</summary>
/// <remarks>
/// Each verification reuses a keyed HMAC context from a small per-key pool instead of keying a new one (the key
/// schedule and the native context set-up cost about as much as the MAC of a typical token). A context is used by
/// one thread at a time: it is taken out of the pool with an atomic exchange and put back after
/// <see cref="IncrementalHash.TryGetHashAndReset(Span{byte}, out int)"/> has reset it to the keyed initial state.
/// </remarks>
internal sealed class SymmetricVerificationKey : VerificationKey
{
    private readonly byte[] _key;
    private readonly int _macSize;
    private readonly HashAlgorithmName _hash;
    private readonly IncrementalHash?[] _pool;

    internal SymmetricVerificationKey(byte[] key, string algorithm, string? keyId, string? issuer)
        : base(algorithm, keyId, issuer)
    {
        _key = key;
        _macSize = JwsAlgorithms.HashSizeOf(algorithm);
        _hash = JwsAlgorithms.HashOf(algorithm);

        // Enough for every core to hold one while a few more are in flight; extra contexts are disposed on return.
        _pool = new IncrementalHash?[Math.Min(Environment.ProcessorCount * 2, 64)];
    }

    public override string KeyType => "oct";

    internal override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        // JOSE defines no truncated MACs: the full tag, and nothing but it, must match.
        if (signature.Length != _macSize)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[64];
        var hmac = Rent();
        hmac.AppendData(signingInput);
        if (!hmac.TryGetHashAndReset(mac, out var written) || written != _macSize)
        {
            // Cannot happen with a 64-byte buffer; never put back a context in an unknown state.
            hmac.Dispose();
            return false;
        }

        Return(hmac);
        return CryptographicOperations.FixedTimeEquals(mac[..written], signature);
    }

    private IncrementalHash Rent()
    {
        var pool = _pool;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is not null && Interlocked.Exchange(ref pool[i], null) is { } hmac)
            {
                return hmac;
            }
        }

        return IncrementalHash.CreateHMAC(_hash, _key);
    }

    private void Return(IncrementalHash hmac)
    {
        var pool = _pool;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Volatile.Read(ref pool[i]) is null && Interlocked.CompareExchange(ref pool[i], hmac, null) is null)
            {
                return;
            }
        }

        hmac.Dispose();
    }

    internal override void WriteRequiredMembers(Utf8JsonWriter writer)
    {
        writer.WriteBase64UrlString("k", _key);
        writer.WriteString("kty", KeyType);
    }

    internal override bool HasSameMaterial(VerificationKey other) =>
        other is SymmetricVerificationKey symmetric && CryptographicOperations.FixedTimeEquals(_key, symmetric._key);
}
