using System.Reflection;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// What some tests need beyond the .NET SDK, as xunit traits: <c>[Trait(Needs.Trait, Needs.Root)]</c>.
/// A run without it names the tests that need it and how to leave them out, instead of failing obscurely.
/// </summary>
internal static class Needs
{
    public const string Trait = "Needs";

    /// <summary>Mounting a small tmpfs (the full-disk tests).</summary>
    public const string Root = "root";

    /// <summary>Node.js on the PATH (the seed document's JavaScript client).</summary>
    public const string Node = "node";

    public static string Explain(string requirement, string what, string detail) =>
        $"{what} ({detail}). Tests that need {requirement}: {string.Join(", ", TestsNeeding(requirement))}. " +
        $"Give them {requirement} (CI runs as root with Node.js), or leave them out: dotnet test --filter \"{Trait}!={requirement}\".";

    public static IReadOnlyList<string> TestsNeeding(string requirement) =>
    [
        .. typeof(Needs).Assembly.GetTypes()
            .Where(t => CustomAttributeData.GetCustomAttributes(t).Any(a => Is(a, requirement)))
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttribute<FactAttribute>() is not null).Select(m => $"{t.Name}.{m.Name}"))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>xunit's trait attribute keeps its name and value only as constructor arguments.</summary>
    private static bool Is(CustomAttributeData attribute, string requirement) =>
        attribute.AttributeType == typeof(TraitAttribute) &&
        attribute.ConstructorArguments is [{ Value: Trait }, { Value: string value }] && value == requirement;
}
