using System.Buffers;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>Reads and writes JSON Web Key Sets (RFC 7517 §5).</summary>
public static class Jwks
{
    /// <summary>
    /// Parses a JSON Web Key Set into keys. Every key must be usable: an unusable key (unknown <c>kty</c>, <c>use</c>
    /// other than <c>sig</c>, weak RSA, invalid point, duplicate <c>kid</c>…) is an error, because a key set given as
    /// configuration is meant whole and a silently dropped key is a surprise.
    /// </summary>
    /// <param name="json">The JWKS JSON text (<c>{"keys":[…]}</c>).</param>
    /// <param name="issuer">The optional issuer every key is bound to.</param>
    /// <param name="allowSymmetricKeys">
    /// Whether <c>oct</c> keys (shared secrets) are accepted. Default: <see langword="false"/>, so a set meant to hold
    /// public keys only (a provider's, a file copied from one) cannot smuggle in a secret that anyone holding the set
    /// could sign with; pass <see langword="true"/> for a set of your own secrets.
    /// </param>
    /// <returns>
    /// The keys: one per JWK and algorithm it verifies. A JWK with <c>alg</c> gives one key; one without gives a key
    /// for each algorithm of its type (RSA: RS256/384/512 and PS256/384/512; EC: its curve's; <c>oct</c>: each HS*
    /// its length allows), sharing one crypto context.
    /// </returns>
    /// <exception cref="ArgumentException">The set or one of its keys is invalid; the message says which.</exception>
    public static IReadOnlyList<VerificationKey> Parse(string json, string? issuer = null, bool allowSymmetricKeys = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        var result = JsonWebKeySetReader.Read(json, issuer, allowSymmetricKeys);
        if (result.Problems.Count > 0)
        {
            throw KeyRefusal.Create("The JWKS is invalid: " + string.Join(" ", result.Problems), nameof(json));
        }

        return result.Keys;
    }

    /// <summary>
    /// Writes the public keys of <paramref name="keys"/> as a JSON Web Key Set to publish, e.g. at
    /// <c>/.well-known/jwks.json</c>: each with <c>kty</c>, its public members, <c>use</c> <c>sig</c>, <c>alg</c>
    /// and <c>kid</c> (when it has one). A symmetric key is refused: a shared secret is never published.
    /// </summary>
    /// <param name="keys">The keys; <see cref="SigningKey.ToVerificationKey"/> gives a signing key's public half.</param>
    /// <returns>The JWKS JSON text.</returns>
    /// <exception cref="ArgumentException">A key is symmetric (<c>oct</c>).</exception>
    public static string Write(IEnumerable<VerificationKey> keys)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, keys);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the key set of <paramref name="keys"/> to <paramref name="writer"/>; see <see cref="Write(IEnumerable{VerificationKey})"/>.</summary>
    /// <param name="writer">Where the set is written, as one JSON object.</param>
    /// <param name="keys">The keys.</param>
    /// <exception cref="ArgumentException">A key is symmetric (<c>oct</c>).</exception>
    public static void Write(Utf8JsonWriter writer, IEnumerable<VerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(keys);
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (key is SymmetricVerificationKey)
            {
                throw new ArgumentException($"The key{(key.KeyId is null ? string.Empty : $" '{key.KeyId}'")} is a shared secret, which is never published.", nameof(keys));
            }

            writer.WriteStartObject();
            key.WriteRequiredMembers(writer);
            writer.WriteString("use", "sig");
            writer.WriteString("alg", key.Algorithm);
            if (key.KeyId is not null)
            {
                writer.WriteString("kid", key.KeyId);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
