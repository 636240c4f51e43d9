namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>The power-loss tests share one scratch volume and the loop devices: never in parallel with each other.</summary>
[CollectionDefinition(Name)]
public sealed class PowerLossGroup : ICollectionFixture<PowerLossFixture>
{
    public const string Name = "power loss";
}
