using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bearer.Auth;
using Microsoft.Extensions.Options;
using MvcSample.Models;

namespace MvcSample.Services;

/// <summary>
/// Signs access tokens (RFC 9068 <c>typ: at+jwt</c>) for the sample's users with the sample's <see cref="SigningKey"/>.
/// Deliberately small: token issuance moves into the Bearer.Auth library in a later issue, and this class will then go.
/// </summary>
public sealed class DevelopmentTokenIssuer
{
    // The default encoder writes "at+jwt" as "at\u002Bjwt"; both are valid JSON, but plain text is what readers
    // (and RFC 9068 examples) expect. Relaxed escaping still escapes quotes, backslashes and control characters.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SigningKey _key;
    private readonly SampleOptions _options;
    private readonly TimeProvider _timeProvider;

    public DevelopmentTokenIssuer(SigningKey key, IOptions<SampleOptions> options, TimeProvider timeProvider)
    {
        _key = key;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    public TokenResponse Issue(SampleUser user)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = (long)_options.TokenLifetime.TotalSeconds;

        var header = Json(writer =>
        {
            writer.WriteString("alg", _key.Algorithm);
            writer.WriteString("typ", "at+jwt");
            writer.WriteString("kid", _key.KeyId);
        });
        var payload = Json(writer =>
        {
            writer.WriteString("iss", _options.Issuer);
            writer.WriteString("aud", _options.Audience);
            writer.WriteString("sub", user.UserName);
            writer.WriteString("name", user.UserName);
            writer.WriteStartArray("roles");
            foreach (var role in user.Roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
            writer.WriteString("jti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            writer.WriteNumber("iat", now);
            writer.WriteNumber("nbf", now);
            writer.WriteNumber("exp", now + lifetime);
        });

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = _key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return new TokenResponse(signingInput + "." + Base64Url.EncodeToString(signature), lifetime);
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
