namespace Bearer.Auth.Tests.Differential;

/// <summary>A valid token, mutated: what was done, and who (if anyone) signed the result.</summary>
internal sealed record Mutant(string Original, string Token, string Mutation, Resigning Signer, AlgorithmKey? TrustedSigner);
