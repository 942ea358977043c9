namespace MvcSample.Services;

/// <summary>A stored password: the salt and the PBKDF2-derived key, never the password itself.</summary>
public sealed record PasswordHash(byte[] Salt, byte[] Hash);
