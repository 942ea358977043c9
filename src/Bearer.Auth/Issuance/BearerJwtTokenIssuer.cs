using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Signs access tokens (compact JWS) with one <see cref="SigningKey"/>, or the current key of a
/// <see cref="SigningKeyRing"/>, any algorithm this library verifies. Every
/// token carries <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>jti</c> (128 random bits), <c>iat</c>, <c>nbf</c> (= <c>iat</c>)
/// and <c>exp</c> in whole seconds of the <see cref="TimeProvider"/>, then <c>sid</c>, <c>client_id</c>, <c>role</c> and the extra claims
/// of the request; its header is <c>alg</c>, <c>typ</c> and the key's <c>kid</c>. Thread-safe; create one and keep it.
/// </summary>
public sealed class BearerJwtTokenIssuer
{
    private const int StackSignatureLimit = 1024;

    private static readonly JsonEncodedText Iss = JsonEncodedText.Encode("iss");
    private static readonly JsonEncodedText Sub = JsonEncodedText.Encode("sub");
    private static readonly JsonEncodedText Aud = JsonEncodedText.Encode("aud");
    private static readonly JsonEncodedText Jti = JsonEncodedText.Encode("jti");
    private static readonly JsonEncodedText Iat = JsonEncodedText.Encode("iat");
    private static readonly JsonEncodedText Nbf = JsonEncodedText.Encode("nbf");
    private static readonly JsonEncodedText Exp = JsonEncodedText.Encode("exp");
    private static readonly JsonEncodedText Sid = JsonEncodedText.Encode("sid");
    private static readonly JsonEncodedText ClientIdName = JsonEncodedText.Encode("client_id");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");

    private readonly SigningKeyRing? _ring;
    private readonly TimeProvider _time;
    private readonly long _lifetimeSeconds;
    private readonly string _tokenType;

    /// <summary>The signing key and its base64url header, the same for every token it signs: encoded once per key.</summary>
    private volatile KeyAndHeader _signer;

    private readonly JsonEncodedText _issuer;
    private readonly JsonEncodedText[] _audiences;

    /// <summary>Creates an issuer from <paramref name="options"/> (copied: later changes to them do not apply).</summary>
    /// <param name="options">The settings; see <see cref="BearerJwtIssuerOptions.Validate"/>.</param>
    /// <param name="timeProvider">The clock of <c>iat</c>, <c>nbf</c> and <c>exp</c>; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting and its value.</exception>
    public BearerJwtTokenIssuer(BearerJwtIssuerOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _ring = options.SigningKeyRing;
        _time = timeProvider ?? TimeProvider.System;
        _lifetimeSeconds = (long)options.AccessTokenLifetime.TotalSeconds;
        _issuer = JsonEncodedText.Encode(options.Issuer!, IssuedJson.Encoder);
        _audiences = new JsonEncodedText[options.Audiences.Count];
        for (var i = 0; i < _audiences.Length; i++)
        {
            _audiences[i] = JsonEncodedText.Encode(options.Audiences[i], IssuedJson.Encoder);
        }

        _tokenType = options.TokenType;
        var key = options.SigningKey;
        _signer = key is null ? KeyAndHeader.None : new KeyAndHeader(key, IssuedJson.EncodeHeader(key.Algorithm, _tokenType, key.KeyId));
        Issuer = options.Issuer!;
        AccessTokenLifetime = TimeSpan.FromSeconds(_lifetimeSeconds);
    }

    /// <summary>Gets the <c>iss</c> of the tokens.</summary>
    public string Issuer { get; }

    /// <summary>Gets the lifetime of the tokens, in whole seconds.</summary>
    public TimeSpan AccessTokenLifetime { get; }

    /// <summary>
    /// Signs an access token, as <see cref="Issue"/>; with a <see cref="SigningKeyRing"/> that must first read its store
    /// (first use, or no key signs now), waits for it without blocking a thread.
    /// </summary>
    /// <param name="request">The subject, session, roles and extra claims.</param>
    /// <param name="cancellationToken">Stops waiting for the ring's store.</param>
    /// <returns>The token, its <c>jti</c>, and when it was issued and expires.</returns>
    /// <exception cref="SigningKeyUnavailableException">The ring has no key that signs now and could not create one (its store is down).</exception>
    public async ValueTask<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_ring is not null)
        {
            _ = await _ring.GetSigningKeyAsync(cancellationToken).ConfigureAwait(false);
        }

        return Issue(request);
    }

    /// <summary>Signs an access token for <paramref name="request"/>, valid from now for <see cref="AccessTokenLifetime"/>.</summary>
    /// <param name="request">The subject, session, roles and extra claims.</param>
    /// <returns>The token, its <c>jti</c>, and when it was issued and expires.</returns>
    /// <exception cref="SigningKeyUnavailableException">The ring has no key that signs now and could not create one (its store is down).</exception>
    public IssuedAccessToken Issue(AccessTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signer = Signer();
        var key = signer.Key!;
        var encodedHeader = signer.Header;
        var issuedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        var expiresAt = issuedAt + _lifetimeSeconds;

        Span<byte> jti = stackalloc byte[TokenIds.EncodedLength];
        TokenIds.Next(jti);

        var json = IssuedJson.Rent();
        byte[]? rentedSignature = null;
        byte[]? token = null;
        try
        {
            WritePayload(json.Writer, request, jti, issuedAt, expiresAt);
            var payload = json.Written;

            var signatureSize = key.SignatureSize;
            var length = encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payload.Length) + 1 + Base64Url.GetEncodedLength(signatureSize);
            token = ArrayPool<byte>.Shared.Rent(length);
            encodedHeader.CopyTo(token, 0);
            var at = encodedHeader.Length;
            token[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(payload, token.AsSpan(at));

            var signature = signatureSize <= StackSignatureLimit
                ? stackalloc byte[StackSignatureLimit]
                : (rentedSignature = ArrayPool<byte>.Shared.Rent(signatureSize));
            var signed = key.Sign(token.AsSpan(0, at), signature);
            token[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(signature[..signed], token.AsSpan(at));

            return new IssuedAccessToken(
                Encoding.ASCII.GetString(token, 0, at),
                Encoding.ASCII.GetString(jti),
                DateTimeOffset.FromUnixTimeSeconds(issuedAt),
                DateTimeOffset.FromUnixTimeSeconds(expiresAt));
        }
        finally
        {
            // The buffer held a bearer credential: it goes back to the shared pool cleared.
            if (token is not null)
            {
                ArrayPool<byte>.Shared.Return(token, clearArray: true);
            }

            if (rentedSignature is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedSignature);
            }

            IssuedJson.Return(json);
        }
    }

    /// <summary>The fixed key, or the ring's current key, with its header (encoded again only when the ring's key changes).</summary>
    private KeyAndHeader Signer()
    {
        var signer = _signer;
        if (_ring is null)
        {
            return signer;
        }

        var key = _ring.GetSigningKey();
        if (!ReferenceEquals(key, signer.Key))
        {
            signer = new KeyAndHeader(key, IssuedJson.EncodeHeader(key.Algorithm, _tokenType, key.KeyId));
            _signer = signer;
        }

        return signer;
    }

    private void WritePayload(Utf8JsonWriter writer, AccessTokenRequest request, ReadOnlySpan<byte> jti, long issuedAt, long expiresAt)
    {
        writer.WriteStartObject();
        writer.WriteString(Iss, _issuer);
        writer.WriteString(Sub, request.Subject);
        if (_audiences.Length == 1)
        {
            writer.WriteString(Aud, _audiences[0]);
        }
        else
        {
            writer.WriteStartArray(Aud);
            foreach (var audience in _audiences)
            {
                writer.WriteStringValue(audience);
            }

            writer.WriteEndArray();
        }

        writer.WriteString(Jti, jti);
        writer.WriteNumber(Iat, issuedAt);
        writer.WriteNumber(Nbf, issuedAt);
        writer.WriteNumber(Exp, expiresAt);
        if (request.SessionId is { } sessionId)
        {
            writer.WriteString(Sid, sessionId);
        }

        if (request.ClientId is { } clientId)
        {
            writer.WriteString(ClientIdName, clientId);
        }

        var roles = request.RoleArray;
        if (roles.Length > 0)
        {
            writer.WriteStartArray(Role);
            foreach (var role in roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
        }

        if (request.Extras is { } extras)
        {
            foreach (var claim in extras)
            {
                IssuedJson.WriteClaim(writer, claim);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    private sealed record KeyAndHeader(SigningKey? Key, byte[] Header)
    {
        internal static readonly KeyAndHeader None = new(null, []);
    }
}
