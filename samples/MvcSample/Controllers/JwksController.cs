using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Publishes the public half of the sample's signing key, so other services can verify its tokens.</summary>
[ApiController]
[AllowAnonymous]
[Route(".well-known/jwks.json")]
public sealed class JwksController(DevelopmentSigningKey key) : ControllerBase
{
    /// <summary><c>GET /.well-known/jwks.json</c>: <c>{ "keys": [ { kty, crv, x, y, kid, alg, use } ] }</c>.</summary>
    [HttpGet]
    public JsonWebKeySetResponse Get() => new([new EcPublicJsonWebKey(key.KeyId, key.X, key.Y)]);
}
