using System.Buffers.Text;
using Bearer.Auth.Tests.Support;
using CsCheck;

namespace Bearer.Auth.Tests.Properties;

/// <summary>
/// Properties of canonical base64url (RFC 7515 §2, RFC 7515 Appendix C) over generated inputs, with the platform's
/// <see cref="Base64Url"/> as the oracle: every encoding it produces is read back to the same bytes, and a text is
/// accepted exactly when it is the one encoding of the bytes it decodes to. Any other spelling (padding, <c>+</c>/<c>/</c>,
/// whitespace, foreign characters, spare bits set, a length of 1 mod 4) is refused, in a token too, as <c>token_malformed</c>.
/// </summary>
public sealed class Base64UrlProperties
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Characters a sloppy encoder or an attacker puts in a segment: standard base64, padding, whitespace, JSON, unicode.</summary>
    private const string Foreign = "+/= \t\r\n\"{}%*~\\,:!é\u0000\u00a0\u2028\uff21\u0660";

    /// <summary>Mostly alphabet characters, so that most texts are near-misses rather than obvious garbage.</summary>
    private static readonly Gen<string> NearBase64Url =
        Gen.Frequency((12, Gen.Char[Alphabet]), (1, Gen.Char[Foreign])).Array[0, 24].Select(chars => new string(chars));

    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 200];

    [Fact]
    public void Every_encoding_of_random_bytes_decodes_back_to_the_same_bytes()
    {
        var lengthsSeen = new bool[4];
        RandomRuns.Check(
            Bytes,
            bytes =>
            {
                var encoded = Base64Url.EncodeToString(bytes);
                lengthsSeen[encoded.Length % 4] = true;

                Assert.True(StrictBase64Url.IsCanonical(encoded));
                Assert.Equal(bytes.Length, StrictBase64Url.DecodedLength(encoded.Length));
                Assert.Equal(bytes, StrictBase64Url.DecodeToArray(encoded));

                // Into a buffer of exactly the decoded length (no slack for a decoder that writes past it).
                var exact = new byte[bytes.Length];
                Assert.True(StrictBase64Url.TryDecode(encoded, exact, out var written));
                Assert.Equal(bytes.Length, written);
                Assert.Equal(bytes, exact);
            },
            cases: 400);

        // Lengths 0, 2 and 3 mod 4 (1 mod 4 is never an encoding): every shape of the last quantum was drawn.
        Assert.Equal([true, false, true, true], lengthsSeen);
    }

    [Fact]
    public void Every_length_from_0_to_64_bytes_round_trips_and_its_last_character_is_checked()
    {
        for (var length = 0; length <= 64; length++)
        {
            var bytes = new byte[length];
            RandomRuns.RandomFor(length).NextBytes(bytes);
            var encoded = Base64Url.EncodeToString(bytes);

            Assert.Equal(bytes, StrictBase64Url.DecodeToArray(encoded));

            // Every other last character of the same length decodes (leniently) to the same bytes or is refused.
            if (encoded.Length % 4 != 0)
            {
                foreach (var last in Alphabet)
                {
                    var other = encoded[..^1] + last;
                    var accepted = StrictBase64Url.DecodeToArray(other);
                    Assert.True(accepted is null || (other == Base64Url.EncodeToString(accepted)), other);
                }
            }
        }
    }

    /// <summary>
    /// The oracle: a text is canonical exactly when the platform decodes it and encodes the result back to the same text.
    /// This fails for any check we lack (padding, whitespace or spare bits the platform tolerates) and for any valid
    /// text we would refuse.
    /// </summary>
    [Fact]
    public void A_text_is_accepted_exactly_when_it_is_the_encoding_of_what_it_decodes_to()
    {
        var accepted = 0;
        RandomRuns.Check(
            NearBase64Url,
            text =>
            {
                var canonical = IsReEncoding(text);
                accepted += canonical ? 1 : 0;

                Assert.Equal(canonical, StrictBase64Url.IsCanonical(text));
                var decoded = StrictBase64Url.DecodeToArray(text);
                Assert.Equal(canonical, decoded is not null);
                if (decoded is not null)
                {
                    Assert.Equal(text, Base64Url.EncodeToString(decoded));
                }
            },
            cases: 2_000,
            print: Printable);

        // Both sides of the property were exercised, not just refusals: at least 5% either way.
        var total = 2_000 * RandomRuns.Scale;
        Assert.InRange(accepted, total / 20, total - (total / 20));
    }

    [Fact]
    public void Every_non_canonical_spelling_of_an_encoding_is_refused()
    {
        var gen = Gen.Select(Gen.Byte.Array[1, 60], Gen.Int[0, Mutations.Length - 1], Gen.Int[0, int.MaxValue], (bytes, mutation, at) => (bytes, mutation, at));
        RandomRuns.Check(
            gen,
            input =>
            {
                var encoded = Base64Url.EncodeToString(input.bytes);
                if (Mutate(encoded, input.mutation, input.at) is not { } spoiled)
                {
                    return;
                }

                Assert.False(StrictBase64Url.IsCanonical(spoiled), Printable(spoiled));
                Assert.Null(StrictBase64Url.DecodeToArray(spoiled));
                Assert.False(StrictBase64Url.TryDecode(spoiled, new byte[spoiled.Length], out _));
            },
            cases: 1_000);
    }

    /// <summary>
    /// In a token, a non-canonical header, payload or signature segment is <c>token_malformed</c>, even when the signature
    /// is computed over exactly the spoiled text (so no other rule could be what refuses it).
    /// </summary>
    [Fact]
    public async Task A_token_with_any_non_canonical_segment_is_malformed_even_when_signed_over_it()
    {
        using var fixture = new ValidatorFixture();
        var header = TestJwt.B64("""{"alg":"HS256","kid":"hs"}""");
        var gen = Gen.Select(Gen.Int[0, 2], Gen.Int[0, Mutations.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 1_000_000], (segment, mutation, at, jti) => (segment, mutation, at, jti));
        await RandomRuns.CheckAsync(
            gen,
            async input =>
            {
                var payload = TestJwt.B64(fixture.ValidPayload($"\"jti\":\"{input.jti}\""));
                var valid = RawJwt.HsOverSegments(fixture.HmacKey, header, payload);
                var parts = valid.Split('.');
                if (Mutate(parts[input.segment], input.mutation, input.at, keepFirst: true) is not { } spoiled || spoiled.Contains('.'))
                {
                    return;
                }

                parts[input.segment] = spoiled;
                var token = input.segment == 2 ? string.Join('.', parts) : RawJwt.HsOverSegments(fixture.HmacKey, parts[0], parts[1]);

                Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(valid));
                Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
            },
            cases: 300);
    }

    private static readonly string[] Mutations = ["spare-bit", "pad", "pad2", "plus", "slash", "whitespace", "length-1-mod-4", "foreign"];

    /// <summary>A non-canonical spelling of <paramref name="encoded"/>, or null when the mutation does not apply to it.</summary>
    private static string? Mutate(string encoded, int mutation, int at, bool keepFirst = false)
    {
        var from = keepFirst ? 1 : 0;
        var position = from + (at % Math.Max(1, encoded.Length + 1 - from));
        return Mutations[mutation] switch
        {
            // The lowest spare bit of the last character: 4 spare bits at 2 mod 4, 2 at 3 mod 4, none at 0 mod 4.
            "spare-bit" => encoded.Length % 4 == 0 ? null : encoded[..^1] + Alphabet[Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal) | 1],
            "pad" => encoded.Length % 4 == 0 ? encoded + "====" : encoded + new string('=', 4 - (encoded.Length % 4)),
            "pad2" => encoded + "=",
            "plus" => encoded.Length == 0 ? null : encoded[..(position % encoded.Length)] + "+" + encoded[((position % encoded.Length) + 1)..],
            "slash" => encoded.Length == 0 ? null : encoded[..(position % encoded.Length)] + "/" + encoded[((position % encoded.Length) + 1)..],
            "whitespace" => encoded.Insert(Math.Min(position, encoded.Length), " \t\r\n"[at % 4].ToString()),
            "length-1-mod-4" => encoded + new string('A', (5 - (encoded.Length % 4)) % 4),
            _ => encoded.Insert(Math.Min(position, encoded.Length), Foreign[at % Foreign.Length].ToString()),
        };
    }

    private static bool IsReEncoding(string text)
    {
        try
        {
            return Base64Url.EncodeToString(Base64Url.DecodeFromChars(text)) == text;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Printable(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
