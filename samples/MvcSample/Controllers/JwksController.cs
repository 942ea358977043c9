using Bearer.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MvcSample.Controllers;

/// <summary>Publishes the public half of the sample's signing key, so other services can verify its tokens.</summary>
[ApiController]
[AllowAnonymous]
[Route(".well-known/jwks.json")]
public sealed class JwksController(SigningKey key) : ControllerBase
{
    /// <summary><c>GET /.well-known/jwks.json</c>: <c>{ "keys": [ { kty, crv, x, y, use, alg, kid } ] }</c>.</summary>
    [HttpGet]
    [Produces("application/json")]
    public ContentResult Get() => Content(Jwks.Write([key.ToVerificationKey()]), "application/json");
}
