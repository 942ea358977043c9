using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>Refuses, at start-up (<c>ValidateOnStart</c>), key ring settings that contradict each other.</summary>
internal sealed class BearerJwtKeyRingOptionsValidator : IValidateOptions<BearerJwtKeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, BearerJwtKeyRingOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
