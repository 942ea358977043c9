using MicrosoftResult = Microsoft.IdentityModel.Tokens.TokenValidationResult;

namespace Bearer.Auth.Tests.Differential;

/// <summary>What each validator made of one token.</summary>
internal sealed record Verdicts(string Token, TokenValidationResult Ours, Exception? OursThrew, MicrosoftResult Theirs)
{
    internal bool WeAccept => OursThrew is null && Ours.Succeeded;

    internal bool TheyAccept => Theirs.IsValid;

    public override string ToString() =>
        $"token: {Token}\n  ours: {(OursThrew is not null ? "THREW " + OursThrew : WeAccept ? "accepted" : Ours.Failure.ToString())}\n"
        + $"  IdentityModel: {(TheyAccept ? "accepted" : "refused: " + Theirs.Exception?.GetType().Name + ": " + Theirs.Exception?.Message)}\n"
        + $"  header: {DecodedToken.Read(Token).HeaderText}\n  payload: {DecodedToken.Read(Token).PayloadText}";
}
