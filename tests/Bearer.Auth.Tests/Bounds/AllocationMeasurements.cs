namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// Allocation measurements run alone: another test's activity or meter listener would make this library allocate
/// spans and tags on the measuring thread too.
/// </summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;
