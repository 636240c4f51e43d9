using Xunit.Sdk;
using Xunit.v3;

namespace AtomicFiles.Testing;

/// <summary>Discovers a <see cref="RequiresFactAttribute"/> test only on the platform its requirements name.</summary>
public sealed class RequiresFactDiscoverer : FactDiscoverer
{
    public override ValueTask<IReadOnlyCollection<IXunitTestCase>> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, IXunitTestMethod testMethod, IFactAttribute factAttribute) =>
        RequirementCheck.IsForThisPlatform(((IHasRequirements)factAttribute).Requirements)
            ? base.Discover(discoveryOptions, testMethod, factAttribute)
            : new([]);
}
