using Klaviyo.Codegen;
using Xunit;

namespace Klaviyo.Tests.BulkJobs;

/// <summary><see cref="OperationCatalog.BulkJobs"/>: the bulk operations and their limits, generated from the spec.</summary>
public class BulkCatalogTests
{
    [Fact]
    public void Profile_bulk_import_has_the_limits_its_description_states_and_its_poll_and_errors_operations()
    {
        var job = BulkTestItems.Job("bulk_import_profiles");

        Assert.Equal("profile-bulk-import-job", job.JobType);
        Assert.Equal("data.attributes.profiles.data", job.ItemsPath);
        Assert.Equal("profile", job.ItemType);
        Assert.Equal(10_000, job.MaxItems);
        Assert.Equal(5_000_000, job.MaxBytes);
        Assert.Equal(100_000, job.MaxItemBytes);
        Assert.Equal("get_bulk_import_profiles_job", job.PollOperationId);
        Assert.Equal("get_errors_for_bulk_import_profiles_job", job.ErrorsOperationId);
        Assert.False(job.InlineErrors);
    }

    [Fact]
    public void Every_bulk_operation_the_issue_names_is_there()
    {
        var ids = OperationCatalog.BulkJobs.Select(j => j.OperationId).ToHashSet();
        foreach (
            var id in new[]
            {
                "bulk_import_profiles",
                "bulk_subscribe_profiles",
                "bulk_unsubscribe_profiles",
                "bulk_create_events",
                "bulk_create_catalog_items",
                "bulk_update_catalog_variants",
                "bulk_delete_catalog_categories",
                "bulk_suppress_profiles",
                "bulk_unsuppress_profiles",
                "request_profile_deletion",
                "bulk_create_coupon_codes",
            }
        )
            Assert.Contains(id, ids);
    }

    [Fact]
    public void Where_the_spec_states_no_limit_the_data_says_null_and_the_documented_default_applies()
    {
        var subscribe = BulkTestItems.Job("bulk_subscribe_profiles");
        var coupons = BulkTestItems.Job("bulk_create_coupon_codes");

        Assert.Equal(1000, subscribe.MaxItems);
        Assert.Null(subscribe.MaxBytes);
        Assert.Equal(BulkJobEntry.DefaultMaxBytes, subscribe.ByteLimit);
        Assert.Null(subscribe.PollOperationId); // 202 with no job to follow
        Assert.Equal(1000, coupons.MaxItems);
        Assert.True(coupons.InlineErrors);
    }

    [Fact]
    public void A_data_privacy_deletion_is_a_job_of_one_item()
    {
        var deletion = BulkTestItems.Job("request_profile_deletion");

        Assert.True(deletion.SingleItem);
        Assert.Equal(1, deletion.ItemLimit);
        Assert.Equal("data.attributes.profile.data", deletion.ItemsPath);
    }

    [Fact]
    public void Every_operation_a_bulk_entry_names_is_in_the_catalog_and_its_items_path_has_the_usual_shape()
    {
        foreach (var job in OperationCatalog.BulkJobs)
        {
            Assert.True(OperationCatalog.Find(job.OperationId).IsSome, job.OperationId);
            if (job.PollOperationId is { } poll)
                Assert.True(OperationCatalog.Find(poll).IsSome, poll);
            if (job.ErrorsOperationId is { } errors)
                Assert.True(OperationCatalog.Find(errors).IsSome, errors);
            Assert.Matches(@"^data\.(attributes|relationships)\.[a-z-]+\.data$", job.ItemsPath);
            Assert.True(job.ItemLimit >= 1 && job.ByteLimit > 0, job.OperationId);
        }
    }

    [Fact]
    public void A_bulk_job_is_found_by_an_old_alias_and_an_ordinary_operation_is_not_a_bulk_job()
    {
        Assert.Equal(
            "bulk_import_profiles",
            OperationCatalog.FindBulkJob("spawn_bulk_profile_import_job").Map(j => j.OperationId)
        );
        Assert.True(OperationCatalog.FindBulkJob("get_profiles").IsNone);
        Assert.True(OperationCatalog.FindBulkJob("no_such_operation").IsNone);
    }

    [Theory]
    [InlineData(
        "Accepts up to 10,000 profiles per request. The maximum allowed payload size is 5MB. The maximum allowed payload size per-profile is 100KB.",
        10_000,
        5_000_000L,
        100_000L
    )]
    [InlineData(
        "Accepts up to 100 catalog items per request. The maximum allowed payload size is 5MB.\nThe maximum number of jobs in progress at one time is 500.",
        100,
        5_000_000L,
        null
    )]
    [InlineData(
        "Max number of coupon codes per job we allow for is 1000.\nMax number of jobs queued at once we allow for is 100.",
        1000,
        null,
        null
    )]
    [InlineData(
        "Email address per request limit: 100<br><br>*Rate limits*:<br>Burst: `75/s`",
        100,
        null,
        null
    )]
    [InlineData(
        "Maximum number of profiles can be submitted for subscription: 1000",
        1000,
        null,
        null
    )]
    [InlineData("Accepts a maximum of `1000` events per request.", 1000, null, null)]
    [InlineData(
        "Request a deletion for the profiles. If multiple identifiers are provided, we will return an error.",
        null,
        null,
        null
    )]
    public void Limits_are_read_from_a_description(
        string description,
        int? items,
        long? bytes,
        long? itemBytes
    )
    {
        Assert.Equal((items, bytes, itemBytes), BulkJobsEmitter.Limits(description));
    }

    [Fact]
    public void The_limits_table_in_the_docs_is_the_catalogs_data()
    {
        var root = Generator.FindRepository(AppContext.BaseDirectory)!;
        var rows = File.ReadAllLines(Path.Combine(root, "docs", "bulk-jobs.md"))
            .Where(l => l.StartsWith("| `") && l.Count(c => c == '|') == 8)
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(c => c[1].Trim('`'));

        Assert.Equal(
            OperationCatalog.BulkJobs.Select(j => j.OperationId).Order(),
            rows.Keys.Order()
        );
        foreach (var job in OperationCatalog.BulkJobs)
        {
            var row = rows[job.OperationId];
            Assert.Equal(Count(job.ItemLimit, job.MaxItems is null), row[3]);
            Assert.Equal(Count(job.ByteLimit, job.MaxBytes is null), row[4]);
            Assert.Equal(job.MaxItemBytes is { } b ? Count(b, false) : "—", row[5]);
            Assert.Equal(job.PollOperationId is null ? "accepted (202)" : "polled", row[6]);
            Assert.Equal(
                job.ErrorsOperationId is not null ? "errors endpoint"
                    : job.InlineErrors ? "in the job"
                    : "—",
                row[7]
            );
        }

        static string Count(long n, bool byDefault) =>
            n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
            + (byDefault ? " (default)" : "");
    }
}
