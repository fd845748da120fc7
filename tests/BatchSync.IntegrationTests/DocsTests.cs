using System.Text.RegularExpressions;

namespace BatchSync.IntegrationTests;

/// <summary>The documents a new user reads first point only at what the repository holds.</summary>
public sealed partial class DocsTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    public static TheoryData<string> Documents() =>
        [.. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md"))
            .Select(f => Path.GetRelativePath(Root, f))];

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryLinkAndPathResolvesInsideTheRepository(string document)
    {
        var path = Path.Combine(Root, document);
        var text = File.ReadAllText(path);

        Assert.DoesNotContain("../shared", text, StringComparison.Ordinal);
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups[1].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            Assert.True(resolved.StartsWith(Root, StringComparison.Ordinal) && (File.Exists(resolved) || Directory.Exists(resolved)), $"{document}: {target}");
        }
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
