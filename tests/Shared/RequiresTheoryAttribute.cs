using System.Runtime.CompilerServices;
using Xunit.v3;

namespace AtomicFiles.Testing;

/// <summary>A theory with the platform and tool rules of <see cref="RequiresFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer(typeof(RequiresTheoryDiscoverer))]
public sealed class RequiresTheoryAttribute : TheoryAttribute, IHasRequirements
{
    public RequiresTheoryAttribute(Requirement requirements, [CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Requirements = requirements;
        if (RequirementCheck.MissingReason(requirements) is { } reason)
        {
            Skip = reason;
        }
    }

    public Requirement Requirements { get; }
}
