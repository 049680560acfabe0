using System.Reflection;
using PublicApiGenerator;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// The public API of each package, snapshotted in <c>tests/Unit/PublicApi/*.approved.txt</c>, so every change to the
/// surface shows up in review. After an intended change run the tests with <c>KLAVIYO_ACCEPT_API=1</c> to rewrite
/// the snapshots, and commit them.
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Packages() =>
        new()
        {
            "Klaviyo.Operations",
            "Klaviyo.Models",
            "Klaviyo.Interpreters",
            "Klaviyo.Extensions.DependencyInjection",
        };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_matches_the_approved_snapshot(string package)
    {
        var assembly = package switch
        {
            "Klaviyo.Operations" => typeof(RequestOperation).Assembly,
            "Klaviyo.Models" => typeof(QueryValues).Assembly,
            "Klaviyo.Interpreters" => typeof(Interpreter).Assembly,
            _ => typeof(KlaviyoSettings).Assembly,
        };
        var api = assembly
            .GeneratePublicApi(
                new ApiGeneratorOptions
                {
                    ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"],
                }
            )
            .ReplaceLineEndings("\n");
        var folder = Path.Combine(Root(), "tests", "Unit", "PublicApi");
        var approved = Path.Combine(folder, $"{package}.approved.txt");
        if (Environment.GetEnvironmentVariable("KLAVIYO_ACCEPT_API") == "1")
            File.WriteAllText(approved, api);
        var expected = File.Exists(approved)
            ? File.ReadAllText(approved).ReplaceLineEndings("\n")
            : "";
        if (expected != api)
        {
            File.WriteAllText(Path.Combine(folder, $"{package}.received.txt"), api);
            Assert.Fail(
                $"The public API of {package} changed. Compare {package}.received.txt with {package}.approved.txt; if the change is intended, run the tests with KLAVIYO_ACCEPT_API=1 and commit the snapshot."
            );
        }
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Klaviyo.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
