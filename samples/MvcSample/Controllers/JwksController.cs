using Bearer.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MvcSample.Controllers;

/// <summary>
/// Publishes the public halves of the sample's signing keys (the ring's current key, the next one before it signs, and
/// retired ones until their tokens have expired), so other services can verify its tokens.
/// </summary>
[ApiController]
[AllowAnonymous]
[Route(".well-known/jwks.json")]
public sealed class JwksController(SigningKeyRing ring) : ControllerBase
{
    /// <summary><c>GET /.well-known/jwks.json</c>: <c>{ "keys": [ { kty, crv, x, y, use, alg, kid }, … ] }</c>, newest first.</summary>
    [HttpGet]
    [Produces("application/json")]
    public ContentResult Get() => Content(Jwks.Write(ring.GetPublishedKeys()), "application/json");
}
