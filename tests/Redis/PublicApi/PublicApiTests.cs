using PublicApiGenerator;
using Xunit;

namespace Klaviyo.Tests.Redis;

/// <summary>
/// The public API of Klaviyo.RateLimiting.Redis, snapshotted beside this file like the other packages' in
/// <c>tests/Unit/PublicApi</c>. After an intended change run the tests with <c>KLAVIYO_ACCEPT_API=1</c> and commit.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_API_matches_the_approved_snapshot()
    {
        const string package = "Klaviyo.RateLimiting.Redis";
        var api = typeof(RedisRateLimiter)
            .Assembly.GeneratePublicApi(
                new ApiGeneratorOptions
                {
                    ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"],
                }
            )
            .ReplaceLineEndings("\n");
        var folder = Path.Combine(Root(), "tests", "Redis", "PublicApi");
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
