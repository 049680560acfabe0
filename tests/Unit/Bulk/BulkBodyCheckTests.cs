using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.BulkJobs.BulkTestItems;

namespace Klaviyo.Tests.BulkJobs;

/// <summary>
/// <see cref="BulkOptions.SkipBodyCheck"/>: a job's body is checked against the spec before it is sent, unless the
/// options say the items are newer than the spec.
/// </summary>
public sealed class BulkBodyCheckTests
{
    private const string Key = "pk_bulk_check_test_0123456789abcdef";
    private const string Jobs = "/api/profile-bulk-import-jobs";

    // Where the check finds the newer item (the second of the job): the spec says a title is a string.
    private const string NewerPath = "data.attributes.profiles.data[1].attributes.title";

    /// <summary>Four profiles; the second has a title as a list, a shape newer than the spec.</summary>
    private static JsonElement[] Items()
    {
        var items = Profiles(4);
        items[1] = JsonSerializer.SerializeToElement(
            new
            {
                type = "profile",
                attributes = new
                {
                    email = "newer@example.com",
                    title = new[] { "Regional Manager", "Buyer" },
                },
            }
        );
        return items;
    }

    private static BulkOptions Options(bool skip) =>
        new()
        {
            MaxItems = 2,
            MaxJobsInFlight = 1,
            Polling = Polling,
            SkipBodyCheck = skip,
        };

    private static StubInterpreter Stub() =>
        Interpreter
            .Stub()
            .When(HttpMethod.Post, Jobs)
            .Respond(
                202,
                """{"data":{"type":"profile-bulk-import-job","id":"j1","attributes":{"status":"queued"}}}"""
            )
            .When(HttpMethod.Get, Jobs + "/j1")
            .Respond(
                200,
                """{"data":{"type":"profile-bulk-import-job","id":"j1","attributes":{"status":"complete","total_count":2,"completed_count":2,"failed_count":0}}}"""
            );

    private static KlaviyoOptions Under(StubInterpreter stub, ObservableClock clock) =>
        new()
        {
            ApiKey = Key,
            Client = stub,
            ClientOptions = new ClientOptions { TimeProvider = clock },
        };

    [Fact]
    public async Task A_program_refuses_a_job_whose_body_the_check_refuses_naming_the_path_and_sends_nothing()
    {
        var clock = new ObservableClock();
        var stub = Stub();

        var result = await clock.DriveAsync(
            Bulk.Jobs("bulk_import_profiles", Items(), Options(skip: false))
                .RunAsync(Under(stub, clock))
        );

        var error = Assert.IsType<KlaviyoError.Validation>(result.Match(_ => null!, e => e));
        Assert.Contains(NewerPath + ": expected", error.Message);
        Assert.Contains("got an array", error.Message);
        Assert.DoesNotContain(stub.Calls, c => c.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_program_with_SkipBodyCheck_sends_that_body_as_it_is()
    {
        var clock = new ObservableClock();
        var stub = Stub();

        var summary = Right(
            await clock.DriveAsync(
                Bulk.Jobs("bulk_import_profiles", Items(), Options(skip: true))
                    .RunAsync(Under(stub, clock))
            )
        );

        Assert.Equal(2, summary.Jobs.Count);
        var creates = stub.Calls.Where(c => c.Method == HttpMethod.Post).ToList();
        Assert.Equal(2, creates.Count);
        var sent = ((RequestContent.Json)creates[0].Content).Value;
        Assert.Equal(
            JsonValueKind.Array,
            sent.GetProperty("data")
                .GetProperty("attributes")
                .GetProperty("profiles")
                .GetProperty("data")[1]
                .GetProperty("attributes")
                .GetProperty("title")
                .ValueKind
        );
    }

    [Fact]
    public async Task A_pipeline_stops_at_a_job_whose_body_the_check_refuses_and_sends_it_with_SkipBodyCheck()
    {
        await using var server = await BulkJobServer.StartAsync();

        var refused = await Pipeline(server, skip: false);

        var error = Assert.IsType<KlaviyoError.Validation>(refused.Stopped);
        Assert.Contains(NewerPath + ": expected", error.Message);
        Assert.DoesNotContain(server.Creates, c => c.BodyText.Contains("newer@example.com"));
        Assert.Contains(refused.NotSubmitted, n => n.FirstItem == 0 && n.Error == error);

        var sent = await Pipeline(server, skip: true);

        Assert.Null(sent.Stopped);
        Assert.Empty(sent.NotSubmitted);
        Assert.Equal(4, sent.ItemsAccepted);
        Assert.Contains(
            server.Creates,
            c => c.BodyText.Contains("newer@example.com") && c.BodyText.Contains("\"title\":[")
        );
    }

    private static async Task<BulkSummary> Pipeline(BulkJobServer server, bool skip)
    {
        var clock = new ObservableClock();
        return await clock.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(Items()),
                server.Options() with
                {
                    ApiKey = Key,
                    ClientOptions = new ClientOptions { TimeProvider = clock },
                },
                Options(skip)
            )
        );
    }
}
