using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>Refuses, at start-up (<c>ValidateOnStart</c>), refresh-token lifetimes that contradict each other.</summary>
internal sealed class BearerJwtRefreshTokenOptionsValidator : IValidateOptions<BearerJwtRefreshTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, BearerJwtRefreshTokenOptions options)
    {
        var problems = options.FindProblems();
        if (problems.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var messages = new List<string>(problems.Count);
        foreach (var (_, message) in problems)
        {
            messages.Add(message);
        }

        return ValidateOptionsResult.Fail(messages);
    }
}
