namespace MvcSample.Models;

/// <summary>What the profile page shows: from the access token's claims.</summary>
public sealed record ProfileView(string Name, IReadOnlyList<string> Roles, string SessionId, DateTimeOffset? AccessTokenExpiresAt);
