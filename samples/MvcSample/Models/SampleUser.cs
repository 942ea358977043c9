using MvcSample.Services;

namespace MvcSample.Models;

/// <summary>A user of the in-memory user list.</summary>
public sealed record SampleUser(string UserName, IReadOnlyList<string> Roles, PasswordHash Password);
