namespace Bearer.Auth;

/// <summary>An access token <see cref="BearerJwtTokenIssuer"/> signed, with the facts a token response and a revocation need.</summary>
public sealed class IssuedAccessToken
{
    internal IssuedAccessToken(string token, string tokenId, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        Token = token;
        TokenId = tokenId;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the compact JWS (<c>header.payload.signature</c>): the <c>access_token</c> to hand out.</summary>
    public string Token { get; }

    /// <summary>Gets the token's <c>jti</c>: 128 random bits, base64url (what revoking this one token names).</summary>
    public string TokenId { get; }

    /// <summary>Gets the token's <c>iat</c> (also its <c>nbf</c>), in whole seconds.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Gets the token's <c>exp</c>, in whole seconds: <see cref="IssuedAt"/> plus the lifetime.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
