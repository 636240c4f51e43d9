using Xunit.Sdk;
using Xunit.v3;

namespace AtomicFiles.Testing;

/// <summary>Discovers a <see cref="RequiresTheoryAttribute"/> theory only on the platform its requirements name.</summary>
public sealed class RequiresTheoryDiscoverer : TheoryDiscoverer
{
    public override ValueTask<IReadOnlyCollection<IXunitTestCase>> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, IXunitTestMethod testMethod, IFactAttribute factAttribute) =>
        RequirementCheck.IsForThisPlatform(((IHasRequirements)factAttribute).Requirements)
            ? base.Discover(discoveryOptions, testMethod, factAttribute)
            : new([]);
}
