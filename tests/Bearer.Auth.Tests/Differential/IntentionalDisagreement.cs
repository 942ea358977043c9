namespace Bearer.Auth.Tests.Differential;

/// <summary>One place where we are deliberately stricter than IdentityModel.</summary>
/// <param name="Rule">What about the token we refuse.</param>
/// <param name="Reason">The reason we give.</param>
/// <param name="Reference">The RFC text that makes the refusal right (or lets us choose it).</param>
/// <param name="Why">What IdentityModel does instead, and why we do not.</param>
/// <param name="Applies">Whether a token has the property, judged on the token, not by our reader.</param>
/// <param name="Example">A deterministic token that hits the entry (IdentityModel accepts it, we refuse it).</param>
internal sealed record IntentionalDisagreement(
    string Rule,
    TokenFailureReason Reason,
    string Reference,
    string Why,
    Func<DecodedToken, bool> Applies,
    Func<OracleKeys, string> Example)
{
    public override string ToString() => $"{Rule} → {Reason} ({Reference})";
}
