namespace Bearer.Auth;

/// <summary>
/// The <see cref="ArgumentException"/> the key factories throw for a key they refuse (too weak, wrong algorithm,
/// invalid material), marked so that a refusal inside the <c>AddBearerJwt</c> configure delegate is reported at
/// start-up like the same key read from configuration, and described the same way.
/// </summary>
internal static class KeyRefusal
{
    private const string ReasonKey = "Bearer.Auth.KeyRefusal";

    /// <summary>An <see cref="ArgumentException"/> for <paramref name="paramName"/>, marked as a refused key.</summary>
    internal static ArgumentException Create(string reason, string paramName, Exception? inner = null)
    {
        var exception = new ArgumentException(reason, paramName, inner);
        exception.Data[ReasonKey] = reason;
        return exception;
    }

    /// <summary>Why the key was refused (without the parameter name), or <see langword="null"/> when <paramref name="exception"/> is not a refused key.</summary>
    internal static string? Reason(Exception exception) => exception.Data[ReasonKey] as string;

    /// <summary>The start-up message for a refused key: <c>BearerJwtOptions.VerificationKeys ({where}): {reason}</c>.</summary>
    internal static string Describe(string where, string reason) => $"BearerJwtOptions.VerificationKeys ({where}): {reason}";
}
