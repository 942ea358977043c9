using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MvcSample.Models;

/// <summary>The body of <c>POST /api/admin/revoke</c>: <c>{ "username": "…" }</c>.</summary>
public sealed class RevokeUserRequest
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [JsonPropertyName("username")]
    public string? UserName { get; set; }
}
