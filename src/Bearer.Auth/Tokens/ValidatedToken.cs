using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// A token whose signature, header and registered claims have been validated. The payload is decoded again only
/// when something asks for it (claims mapping, <see cref="Subject"/>, <see cref="TokenId"/>), so validation alone
/// does not pay for claims nobody reads.
/// </summary>
/// <remarks>
/// With the repeat-token cache (on by default) one instance is shared by every request that presents the same token,
/// so it is immutable (what it decodes on demand it keeps, which reads the same to every caller): never write through
/// <see cref="Payload"/> (e.g. via <c>MemoryMarshal</c>), and keep per-request state elsewhere
/// (<c>HttpContext.Items</c>, the principal).
/// </remarks>
public sealed class ValidatedToken
{
    /// <summary>
    /// Kept in place of a claim the payload does not hold, so that its absence is learnt once too: a revocation check
    /// asks for <c>sid</c> on every request, and most tokens of other issuers have none. A unique instance, compared
    /// by reference, never returned.
    /// </summary>
    private static readonly string Absent = new(['\0']);

    private readonly int _payloadStart;
    private readonly int _payloadLength;
    private byte[]? _payload;
    private string? _subject;
    private string? _tokenId;
    private string? _sessionId;
    private readonly RegisteredClaims _claims;

    internal ValidatedToken(string rawToken, int payloadStart, int payloadLength, in ParsedHeader header, VerificationKey key, in RegisteredClaims claims)
    {
        RawToken = rawToken;
        _payloadStart = payloadStart;
        _payloadLength = payloadLength;
        ParsedHeader = header;
        Key = key;
        _claims = claims;
    }

    private ValidatedToken(ValidatedToken token)
    {
        RawToken = token.RawToken;
        _payloadStart = token._payloadStart;
        _payloadLength = token._payloadLength;
        ParsedHeader = token.ParsedHeader;
        Key = token.Key;
        _claims = token._claims;
        IsShared = true;
    }

    /// <summary>Gets the compact token as received. It is a credential: never log it.</summary>
    public string RawToken { get; }

    /// <summary>Gets the validated header.</summary>
    public JwsHeader Header => ParsedHeader.ToJwsHeader();

    /// <summary>Gets the key that verified the signature.</summary>
    public VerificationKey Key { get; }

    /// <summary>Gets the <c>iss</c> claim, or <see langword="null"/> when absent and issuer validation is off.</summary>
    public string? Issuer => _claims.Issuer;

    /// <summary>Gets the <c>exp</c> claim, or <see langword="null"/> when absent (only when expiration is optional).</summary>
    public DateTimeOffset? ExpiresAt => ToDate(_claims.ExpiresAt);

    /// <summary>Gets the <c>nbf</c> claim, or <see langword="null"/>.</summary>
    public DateTimeOffset? NotBefore => ToDate(_claims.NotBefore);

    /// <summary>Gets the <c>iat</c> claim, or <see langword="null"/>.</summary>
    public DateTimeOffset? IssuedAt => ToDate(_claims.IssuedAt);

    /// <summary>Gets the <c>sub</c> claim, or <see langword="null"/>.</summary>
    public string? Subject => Kept(ref _subject, "sub"u8);

    /// <summary>Gets the <c>jti</c> claim, or <see langword="null"/>.</summary>
    /// <remarks>Read once and kept: a revocation check asks for it on every request that presents the token.</remarks>
    public string? TokenId => Kept(ref _tokenId, "jti"u8);

    /// <summary>Gets the <c>sid</c> claim (the session the token belongs to), or <see langword="null"/>.</summary>
    /// <remarks>Read once and kept, like <see cref="TokenId"/>; its absence too (most tokens of other issuers have none).</remarks>
    public string? SessionId => Kept(ref _sessionId, "sid"u8);

    /// <summary>Gets the decoded payload: the UTF-8 JSON claims set exactly as signed. Shared across requests: read only.</summary>
    public ReadOnlyMemory<byte> Payload => _payload ??= DecodePayload();

    /// <summary>Returns the top-level string claim <paramref name="name"/>, or <see langword="null"/> when absent or not a string.</summary>
    /// <param name="name">The claim name as UTF-8.</param>
    /// <returns>The value.</returns>
    public string? GetStringClaim(ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(Payload.Span, JsonText.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>A string claim read once and kept, absent or not (two readers racing read the same value).</summary>
    private string? Kept(ref string? field, ReadOnlySpan<byte> name)
    {
        var value = field;
        if (value is null)
        {
            field = value = GetStringClaim(name) ?? Absent;
        }

        return ReferenceEquals(value, Absent) ? null : value;
    }

    /// <summary>The registered claims as read, which the claim rules check again whenever the token is presented.</summary>
    internal ref readonly RegisteredClaims Claims => ref _claims;

    /// <summary>The header as read: <see cref="Header"/> is built from it, and the header memo learns it.</summary>
    internal ParsedHeader ParsedHeader { get; }

    /// <summary>
    /// Whether this instance is the repeat-token cache's, handed to every request that presents the token, so what is
    /// derived from it once (the claims a mapper reads) may be kept for the next request.
    /// </summary>
    internal bool IsShared { get; }

    /// <summary>Gets the length of the header segment (the text before the first dot of <see cref="RawToken"/>).</summary>
    internal int HeaderSegmentLength => _payloadStart - 1;

    /// <summary>Gets the length of the decoded payload, the room <see cref="ReadPayload"/> needs.</summary>
    internal int PayloadLength => _payload?.Length ?? StrictBase64Url.DecodedLength(_payloadLength);

    /// <summary>
    /// Returns the payload already decoded, or else decodes it into <paramref name="buffer"/> (at least
    /// <see cref="PayloadLength"/> bytes) without keeping it: a reader that needs it once, like the claims mapping of
    /// a token seen once, then leaves no copy on the heap.
    /// </summary>
    internal ReadOnlySpan<byte> ReadPayload(Span<byte> buffer)
    {
        if (_payload is { } payload)
        {
            return payload;
        }

        StrictBase64Url.TryDecode(RawToken.AsSpan(_payloadStart, _payloadLength), buffer, out var written);
        return buffer[..written];
    }

    /// <summary>The copy the repeat-token cache keeps and shares (<see cref="IsShared"/>).</summary>
    internal ValidatedToken Share() => new(this);

    /// <summary>
    /// The instant to the nearest microsecond, and a fraction stays a fraction in its own second. Truncated to whole
    /// milliseconds, a fraction under a millisecond vanished (<c>iat</c> 1780315200.0005 read as a whole second, which
    /// the subject revocation rule compares by its second) and microseconds were cut. Today's dates carry about 0.24 µs
    /// of precision in a double, so microseconds are exact for what issuers write; a fraction finer than that is
    /// clamped to 1…999,999 µs, since rounding it onto a whole second (…59.9999995 to the next second, .0000004 down)
    /// would turn a fractional <c>iat</c> into a whole one, which the subject revocation rule reads as later.
    /// </summary>
    private static DateTimeOffset? ToDate(double? seconds)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        // The reader keeps values within 0..253402300799, so neither part overflows and the sum stays within DateTimeOffset.
        var whole = Math.Floor(value);
        var microseconds = value == whole ? 0 : Math.Clamp((long)Math.Round((value - whole) * 1_000_000), 1, 999_999);
        return DateTimeOffset.UnixEpoch.AddTicks(((long)whole * TimeSpan.TicksPerSecond) + (microseconds * TimeSpan.TicksPerMicrosecond));
    }

    private byte[] DecodePayload()
    {
        var payload = new byte[StrictBase64Url.DecodedLength(_payloadLength)];
        StrictBase64Url.TryDecode(RawToken.AsSpan(_payloadStart, _payloadLength), payload, out _);
        return payload;
    }
}
