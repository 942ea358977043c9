using MvcSample.Models;

namespace MvcSample.Services;

/// <summary>
/// The sample's users, held in memory with PBKDF2 password hashes. Without configuration these are the development
/// users <c>alice</c> / <c>alice-dev-password</c> (roles admin, user) and <c>bob</c> / <c>bob-dev-password</c>
/// (role user). A non-empty <c>Sample:Users</c> section replaces them, e.g.
/// <c>Sample:Users:carol:Password</c> and <c>Sample:Users:carol:Roles:0</c>. Development only: real applications
/// authenticate users elsewhere and never keep passwords in configuration.
/// </summary>
public sealed class InMemoryUserStore
{
    public const string UsersSectionName = "Sample:Users";

    // Verified against when the user is unknown, so both failures cost the same PBKDF2 work.
    private static readonly PasswordHash UnknownUserHash = PasswordHasher.Hash("unknown-user");

    private readonly Dictionary<string, SampleUser> _users = new(StringComparer.Ordinal);

    public InMemoryUserStore(IConfiguration configuration)
    {
        var configured = configuration.GetSection(UsersSectionName).GetChildren().ToList();
        if (configured.Count == 0)
        {
            Add("alice", "alice-dev-password", ["admin", "user"]);
            Add("bob", "bob-dev-password", ["user"]);
            return;
        }

        foreach (var user in configured)
        {
            var password = user["Password"];
            if (string.IsNullOrEmpty(password))
            {
                throw new InvalidOperationException($"{user.Path}:Password is required.");
            }

            var roles = user.GetSection("Roles").GetChildren().Select(r => r.Value).OfType<string>().ToArray();
            Add(user.Key, password, roles);
        }
    }

    /// <summary>Returns the user when the password is theirs, otherwise <see langword="null"/>.</summary>
    public SampleUser? FindByCredentials(string userName, string password)
    {
        if (_users.TryGetValue(userName, out var user))
        {
            return PasswordHasher.Verify(password, user.Password) ? user : null;
        }

        PasswordHasher.Verify(password, UnknownUserHash);
        return null;
    }

    /// <summary>Returns the user named <paramref name="userName"/> (a token's <c>sub</c>), or <see langword="null"/>.</summary>
    public SampleUser? FindByName(string userName) => _users.GetValueOrDefault(userName);

    private void Add(string userName, string password, string[] roles) =>
        _users[userName] = new SampleUser(userName, roles, PasswordHasher.Hash(password));
}
