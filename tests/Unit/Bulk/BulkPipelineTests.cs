using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.BulkJobs.BulkTestItems;

namespace Klaviyo.Tests.BulkJobs;

/// <summary><see cref="BulkPipeline"/>: a stream of items, job by job, with a journal to resume.</summary>
public sealed class BulkPipelineTests : IDisposable
{
    private const string Key = "pk_pipeline_test_0123456789abcdef";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory(
        "klaviyo-bulk-journal-"
    );

    public void Dispose() => _folder.Delete(recursive: true);

    private string JournalPath => Path.Combine(_folder.FullName, "import.journal.json");

    private static BulkOptions Options(int maxItems, int inFlight = 1) =>
        new()
        {
            MaxItems = maxItems,
            MaxJobsInFlight = inFlight,
            Polling = Polling,
        };

    private static KlaviyoOptions Live(BulkJobServer server, ObservableClock clock) =>
        server.Options() with
        {
            ApiKey = Key,
            ClientOptions = new ClientOptions { TimeProvider = clock },
        };

    [Fact]
    public async Task A_stream_is_split_submitted_polled_and_summed_up_with_progress_events_in_order_per_job()
    {
        await using var server = await BulkJobServer.StartAsync();
        var clock = new ObservableClock();
        var events = new List<BulkEvent>();

        var summary = await clock.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(Profiles(10, bad: [3, 9])),
                Live(server, clock),
                Options(4, inFlight: 2),
                onEvent: events.Add
            )
        );

        Assert.Null(summary.Stopped);
        Assert.Equal([4, 4, 2], summary.Jobs.Map(j => j.ItemCount).AsEnumerable());
        Assert.Equal([3, 9], summary.Errors.Map(e => e.Item).AsEnumerable());
        Assert.Equal(8, summary.ItemsAccepted);
        foreach (var job in summary.Jobs)
            Assert.Equal(
                [
                    BulkEventKind.Submitted,
                    BulkEventKind.StatusChanged, // processing
                    BulkEventKind.StatusChanged, // complete
                    BulkEventKind.Finished,
                ],
                events.Where(e => e.Job?.Chunk == job.Chunk).Select(e => e.Kind)
            );
        Assert.Equal(2, events.Where(e => e.Kind == BulkEventKind.Finished).Sum(e => e.ItemErrors));
    }

    [Fact]
    public async Task A_pipeline_stopped_by_a_failure_resumes_from_its_journal_without_creating_done_jobs_again()
    {
        var items = Profiles(10, bad: [8]);
        BulkSummary first;
        await using (
            var failing = await BulkJobServer.StartAsync(
                new BulkJobServer { CreateStatus = n => n == 3 ? 503 : null }
            )
        )
        {
            var clock = new ObservableClock();
            first = await clock.DriveAsync(
                BulkPipeline.RunAsync(
                    "bulk_import_profiles",
                    Stream(items),
                    Live(failing, clock),
                    Options(3),
                    BulkJournal.File(JournalPath)
                )
            );
            Assert.Equal(3, failing.Created);
        }

        Assert.Equal(503, Assert.IsType<KlaviyoError.Api>(first.Stopped).Response.StatusCode);
        Assert.Equal(2, first.Jobs.Count);
        Assert.Equal(6, first.NotSubmitted.Head.FirstItem);
        var journal = await BulkJournal.File(JournalPath).LoadAsync();
        Assert.Equal([0, 1], journal.Jobs.Map(j => j.Chunk).AsEnumerable());
        Assert.All(journal.Jobs, j => Assert.Equal(BulkJobStatus.Complete, j.Status));

        await using var server = await BulkJobServer.StartAsync();
        var again = new ObservableClock();
        var events = new List<BulkEvent>();
        var resumed = await again.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(items),
                Live(server, again),
                Options(3),
                BulkJournal.File(JournalPath),
                events.Add
            )
        );

        Assert.Null(resumed.Stopped);
        Assert.Equal(2, server.Created); // items 6-8 and 9, not the two jobs already done
        Assert.Equal([6, 9], server.Creates.Select(c => FirstEmailIndex(c.BodyText)));
        Assert.Equal([true, true, false, false], resumed.Jobs.Map(j => j.Resumed).AsEnumerable());
        Assert.Equal(4, resumed.Jobs.Count);
        Assert.Equal([8], resumed.Errors.Map(e => e.Item).AsEnumerable());
        Assert.Equal(9, resumed.ItemsAccepted);
        Assert.Equal(2, events.Count(e => e.Kind == BulkEventKind.Resumed));
        Assert.All(
            (await BulkJournal.File(JournalPath).LoadAsync()).Jobs,
            j => Assert.True(j.IsFinished)
        );
    }

    [Fact]
    public async Task A_job_created_but_not_finished_when_the_run_was_cancelled_is_polled_not_created_again()
    {
        var items = Profiles(6);
        using var cancel = new CancellationTokenSource();
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/profile-bulk-import-jobs")
            .RespondWith(_ =>
                StubResponse.Status(
                    202,
                    """{"data":{"type":"profile-bulk-import-job","id":"job-A","attributes":{"status":"queued"}}}"""
                )
            )
            .When(HttpMethod.Get, "/api/profile-bulk-import-jobs/job-A")
            .RespondWith(_ =>
            {
                // The run is stopped while the first job is still being waited for.
                cancel.Cancel();
                return StubResponse.Status(
                    200,
                    """{"data":{"type":"profile-bulk-import-job","id":"job-A","attributes":{"status":"processing"}}}"""
                );
            });
        var options = new KlaviyoOptions { ApiKey = Key, Client = stub };
        var journal = BulkJournal.File(JournalPath);
        var fast = Options(3) with
        {
            Polling = new BulkPolling(TimeSpan.Zero, 1, TimeSpan.Zero, TimeSpan.FromHours(1)),
        };

        var stopped = await BulkPipeline.RunAsync(
            "bulk_import_profiles",
            Stream(items),
            options,
            fast,
            journal,
            cancellationToken: cancel.Token
        );

        Assert.IsType<KlaviyoError.Cancelled>(stopped.Stopped);
        var recorded = Assert.Single((await journal.LoadAsync()).Jobs);
        Assert.Equal(("job-A", BulkJobStatus.Queued), (recorded.JobId, recorded.Status));

        await using var server = await BulkJobServer.StartAsync();
        var clock = new ObservableClock();
        var resumed = await clock.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(items),
                Live(server, clock),
                Options(3),
                journal
            )
        );

        // job-A is unknown to the new server: the resumed run polled it (404) instead of creating it again.
        Assert.Equal(0, server.Created);
        var poll = Assert.Single(server.Server.Received);
        Assert.Equal(("GET", "/api/profile-bulk-import-jobs/job-A"), (poll.Method, poll.Path));
        Assert.Equal(404, Assert.IsType<KlaviyoError.Api>(resumed.Stopped).Response.StatusCode);
    }

    [Fact]
    public async Task A_refused_job_is_reported_with_Klaviyos_error_and_the_other_jobs_go_on()
    {
        await using var server = await BulkJobServer.StartAsync();
        var clock = new ObservableClock();
        var items = Profiles(9).ToArray();
        items[4] = Profile("refuse@example.com");
        var events = new List<BulkEvent>();

        var summary = await clock.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(items),
                Live(server, clock),
                Options(3),
                onEvent: events.Add
            )
        );

        Assert.Null(summary.Stopped);
        var refused = Assert.Single(summary.NotSubmitted);
        Assert.Equal((3, (int?)3), (refused.FirstItem, refused.Count));
        Assert.Equal(400, Assert.IsType<KlaviyoError.Api>(refused.Error).Response.StatusCode);
        Assert.Equal([0, 6], summary.Jobs.Map(j => j.FirstItem).AsEnumerable());
        Assert.Equal(6, summary.ItemsAccepted);
        Assert.Contains(events, e => e.Kind == BulkEventKind.Refused);
    }

    [Fact]
    public async Task A_journal_for_another_operation_stops_the_pipeline_before_anything_is_sent()
    {
        var journal = BulkJournal.InMemory();
        await journal.SaveAsync(
            new BulkJournalState("bulk_create_events", BulkJournalState.Empty.Jobs)
        );
        var stub = Interpreter.Stub();

        var summary = await BulkPipeline.RunAsync(
            "bulk_import_profiles",
            Stream(Profiles(2)),
            new KlaviyoOptions { ApiKey = Key, Client = stub },
            journal: journal
        );

        Assert.Contains(
            "bulk_create_events",
            Assert.IsType<KlaviyoError.Validation>(summary.Stopped).Message
        );
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task An_input_that_changed_since_the_journal_was_written_stops_the_pipeline_instead_of_skipping_other_items()
    {
        var journal = BulkJournal.InMemory();
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/profile-subscription-bulk-create-jobs")
            .Respond(202);
        var options = new KlaviyoOptions { ApiKey = Key, Client = stub };
        await BulkPipeline.RunAsync(
            "bulk_subscribe_profiles",
            Stream(Profiles(4)),
            options,
            Options(2),
            journal
        );

        var changed = Profiles(4, bad: [1]);
        var summary = await BulkPipeline.RunAsync(
            "bulk_subscribe_profiles",
            Stream(changed),
            options,
            Options(2),
            journal
        );

        Assert.Contains(
            "not the job the journal recorded",
            Assert.IsType<KlaviyoError.Validation>(summary.Stopped).Message
        );
        Assert.Equal(2, stub.Calls.Count); // only the first run's
    }

    [Fact]
    public async Task The_journal_file_is_one_JSON_document_with_no_secret_no_item_and_no_temporary_file_left()
    {
        await using var server = await BulkJobServer.StartAsync();
        var clock = new ObservableClock();

        await clock.DriveAsync(
            BulkPipeline.RunAsync(
                "bulk_import_profiles",
                Stream(Profiles(5)),
                Live(server, clock),
                Options(2),
                BulkJournal.File(JournalPath)
            )
        );

        var text = File.ReadAllText(JournalPath);
        Assert.DoesNotContain(Key, text);
        Assert.DoesNotContain("example.com", text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(BulkJournal.Format, document.RootElement.GetProperty("format").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("jobs").GetArrayLength());
        Assert.Equal([Path.GetFileName(JournalPath)], _folder.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task A_file_that_is_not_a_journal_is_refused_with_its_name()
    {
        File.WriteAllText(JournalPath, """{"something":"else"}""");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            BulkJournal.File(JournalPath).LoadAsync()
        );

        Assert.Contains(JournalPath, e.Message);
    }

    [Fact]
    public async Task Typed_items_are_encoded_with_their_JsonTypeInfo()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/event-bulk-create-jobs")
            .Respond(202);
        var events = new[]
        {
            new TestEvent("event-bulk-create", new TestEventAttributes("Ordered", 3)),
        };

        var summary = await BulkPipeline.RunAsync(
            "bulk_create_events",
            Stream(events),
            BulkTestJson.Default.TestEvent,
            new KlaviyoOptions { ApiKey = Key, Client = stub }
        );

        // The test event is not a valid Klaviyo event (no profile, no events), so the pre-send body check refuses the
        // job, naming the item's path inside the job document it was written into.
        Assert.False(summary.Succeeded);
        Assert.Empty(stub.Calls);
        var refused = Assert.Single(summary.NotSubmitted);
        Assert.Contains(
            "data.attributes['events-bulk-create'].data[0].attributes.profile: required member missing",
            refused.Reason
        );
    }

    [Fact]
    public async Task An_item_too_large_for_any_job_is_reported_and_the_rest_is_sent()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Post, "/api/profile-subscription-bulk-create-jobs")
            .Respond(202);
        var items = Profiles(3).ToArray();
        items[1] = Profile(new string('z', 5_000) + "@example.com");
        var events = new List<BulkEvent>();

        var summary = await BulkPipeline.RunAsync(
            "bulk_subscribe_profiles",
            Stream(items),
            new KlaviyoOptions { ApiKey = Key, Client = stub },
            new BulkOptions { MaxBytes = 2_000 },
            onEvent: events.Add
        );

        Assert.Equal(1, Assert.Single(summary.NotSubmitted).FirstItem);
        Assert.Equal([0, 2], summary.Jobs.Map(j => j.FirstItem).AsEnumerable());
        Assert.Equal(BulkEventKind.Rejected, events.First(e => e.NotSubmitted is not null).Kind);
    }

    private static int FirstEmailIndex(string body)
    {
        using var document = JsonDocument.Parse(body);
        var email = document
            .RootElement.GetProperty("data")
            .GetProperty("attributes")
            .GetProperty("profiles")
            .GetProperty("data")[0]
            .GetProperty("attributes")
            .GetProperty("email")
            .GetString()!;
        return int.Parse(new string(email.Where(char.IsDigit).ToArray()));
    }
}

public sealed record TestEvent(string Type, TestEventAttributes Attributes);

public sealed record TestEventAttributes(string Metric, int Value);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase
)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TestEvent))]
internal sealed partial class BulkTestJson : System.Text.Json.Serialization.JsonSerializerContext;
