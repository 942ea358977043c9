using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Logs development users in (an access token and a refresh token) and refreshes their sessions.</summary>
[ApiController]
[AllowAnonymous]
[Route("api/auth")]
public sealed class TokenController(InMemoryUserStore users, SessionTokens sessions) : ControllerBase
{
    // A refresh body is one short token; anything longer is refused before it is parsed.
    private const int MaxRefreshBodyBytes = 4096;

    /// <summary>
    /// <c>POST /api/auth/token</c> with <c>{ "username", "password" }</c>: 200 with an access token and the first
    /// refresh token of a new session, 401 for wrong credentials, 400 (validation problem details, from
    /// <c>[ApiController]</c>) for a malformed body. Never cached (RFC 6749 §5.1).
    /// </summary>
    [HttpPost("token")]
    [Consumes("application/json")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> CreateToken(TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = users.FindByCredentials(request.UserName!, request.Password!);
        if (user is null)
        {
            return Unauthorized(new ErrorResponse("invalid_credentials", "The username or password is incorrect."));
        }

        return Ok(await sessions.SignInAsync(user, cancellationToken));
    }

    /// <summary>
    /// <c>POST /api/auth/refresh</c> with <c>{ "refresh_token" }</c>: 200 with a new access token and the next refresh
    /// token. Every refusal, a body that is missing or not JSON included, is 400
    /// <c>{ "error": "invalid_grant", "error_description" }</c> (RFC 6749 §5.2). The body is read here, not bound
    /// by MVC, so no request shape can turn into MVC's validation problem instead.
    /// </summary>
    [HttpPost("refresh")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Refresh(CancellationToken cancellationToken)
    {
        var refreshToken = await ReadRefreshTokenAsync(Request, cancellationToken);
        if (refreshToken is null)
        {
            return InvalidGrant("The request must be a JSON object with a string refresh_token.");
        }

        var (tokens, refusal) = await sessions.RefreshAsync(refreshToken, cancellationToken);
        return tokens is null ? InvalidGrant(refusal!) : Ok(tokens);
    }

    private BadRequestObjectResult InvalidGrant(string description) => BadRequest(new ErrorResponse("invalid_grant", description));

    /// <summary>The <c>refresh_token</c> member of a JSON object body, or <see langword="null"/> for any other body.</summary>
    private static async Task<string?> ReadRefreshTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRefreshBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxRefreshBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length == 0 || length > MaxRefreshBodyBytes)
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(buffer.AsMemory(0, length));
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("refresh_token", out var token)
                && token.ValueKind == JsonValueKind.String
                ? token.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
