using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The body of <c>POST /api/auth/token</c>: <c>{ "username": "…", "password": "…" }</c>.</summary>
public sealed class TokenRequest
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [JsonPropertyName("username")]
    public string? UserName { get; set; }

    // Bounded so a huge password cannot make PBKDF2 expensive.
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [JsonPropertyName("password")]
    public string? Password { get; set; }
}
