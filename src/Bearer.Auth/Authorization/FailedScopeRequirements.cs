using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Bearer.Auth;

/// <summary>
/// The scope requirements that failed on a request, kept as a request feature: authorization decides, and the scheme's
/// forbid (which the platform calls with no word of why) reads them to name the scopes in its 403 challenge.
/// </summary>
internal sealed class FailedScopeRequirements
{
    private readonly List<(AuthorizationHandlerContext Evaluation, ScopeAuthorizationRequirement Requirement)> _unmet = [];

    /// <summary>
    /// Records that <paramref name="requirement"/> did not meet itself in <paramref name="evaluation"/>, on the request
    /// the evaluation's resource stands for, if any. Whether it failed is only known once every handler has run (one
    /// of the app's may still meet it), so the evaluation is kept and asked when the forbid comes.
    /// </summary>
    internal static void Record(AuthorizationHandlerContext evaluation, ScopeAuthorizationRequirement requirement)
    {
        var resource = evaluation.Resource;
        var context = resource as HttpContext ?? RequestOfOtherResource(resource);
        if (context is null)
        {
            return;
        }

        var record = context.Features.Get<FailedScopeRequirements>();
        if (record is null)
        {
            record = new FailedScopeRequirements();
            context.Features.Set(record);
        }

        record._unmet.Add((evaluation, requirement));
    }

    /// <summary>
    /// The RFC 6750 <c>scope</c> of the request's failed requirements: each scope once, in the order the policy lists
    /// them, so a token holding all of them meets every one. <see langword="null"/> when none failed.
    /// </summary>
    internal static string? ScopeOf(HttpContext context)
    {
        if (context.Features.Get<FailedScopeRequirements>() is not { } record)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scope = new StringBuilder();
        foreach (var (evaluation, requirement) in record._unmet)
        {
            if (!evaluation.PendingRequirements.Contains(requirement))
            {
                continue; // another handler met it after all
            }

            foreach (var value in requirement.AllowedScopes)
            {
                if (seen.Add(value))
                {
                    scope.Append(scope.Length == 0 ? "" : " ").Append(value);
                }
            }
        }

        return scope.Length == 0 ? null : scope.ToString();
    }

    /// <summary>
    /// An MVC authorize filter evaluates policies with its filter context as the resource. Kept apart so that apps
    /// without MVC never load its types.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HttpContext? RequestOfOtherResource(object? resource) => (resource as ActionContext)?.HttpContext;
}
