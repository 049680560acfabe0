using System.Text.Json;

namespace Klaviyo.Tests.BulkJobs;

/// <summary>Items for bulk tests.</summary>
internal static class BulkTestItems
{
    public static BulkJobEntry Job(string operationId) =>
        OperationCatalog
            .FindBulkJob(operationId)
            .IfNone(() => throw new InvalidOperationException($"{operationId} is not a bulk job"));

    public static JsonElement Profile(string email) =>
        JsonDocument
            .Parse(
                JsonSerializer.Serialize(
                    new
                    {
                        type = "profile",
                        attributes = new
                        {
                            email,
                            // Required by bulk_subscribe_profiles' schema (bodies are checked before sending).
                            subscriptions = new
                            {
                                email = new { marketing = new { consent = "SUBSCRIBED" } },
                            },
                        },
                    }
                )
            )
            .RootElement;

    /// <summary><paramref name="count"/> profiles <c>p0@example.com</c>…; those at <paramref name="bad"/> get emails starting with <c>bad</c>.</summary>
    public static JsonElement[] Profiles(int count, params int[] bad) =>
        Enumerable
            .Range(0, count)
            .Select(i => Profile(bad.Contains(i) ? $"bad{i}@example.com" : $"p{i}@example.com"))
            .ToArray();

    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    public static T Right<T>(LanguageExt.Either<KlaviyoError, T> result) =>
        result.Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

    /// <summary>Polling that waits 1 s, 2 s, 4 s… (fake time in these tests).</summary>
    public static readonly BulkPolling Polling = new(
        TimeSpan.FromSeconds(1),
        2,
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(10)
    );
}
