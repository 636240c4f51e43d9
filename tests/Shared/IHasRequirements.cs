namespace AtomicFiles.Testing;

/// <summary>A test attribute that names what its test needs, so discovery can leave it out on another platform.</summary>
public interface IHasRequirements
{
    Requirement Requirements { get; }
}
