using System.Security.Cryptography;
using System.Text;

namespace MvcSample.Services;

/// <summary>PBKDF2-SHA256 password hashes with a random salt per password, compared in constant time.</summary>
public static class PasswordHasher
{
    private const int Iterations = 100_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;

    public static PasswordHash Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        return new PasswordHash(salt, Derive(password, salt));
    }

    public static bool Verify(string password, PasswordHash stored) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, stored.Salt), stored.Hash);

    private static byte[] Derive(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashSize);
}
