using System.Text.Json;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.BulkJobs.BulkTestItems;

namespace Klaviyo.Tests.BulkJobs;

/// <summary><see cref="BulkChunker"/>: items into jobs within count and encoded-size limits.</summary>
public class BulkChunkerTests
{
    private static readonly BulkJobEntry Import = Job("bulk_import_profiles");

    private static (List<BulkChunk> Chunks, Seq<BulkNotSubmitted> Rejected) Split(
        IEnumerable<JsonElement> items,
        BulkJobEntry? job = null,
        BulkOptions? options = null,
        IJsonCodec? codec = null
    )
    {
        var chunker = new BulkChunker(job ?? Import, options, codec);
        var chunks = new List<BulkChunk>();
        foreach (var item in items)
            chunks.AddRange(chunker.Add(item));
        chunks.AddRange(chunker.Complete());
        return (chunks, chunker.Rejected);
    }

    [Fact]
    public void Items_are_split_by_count_into_contiguous_jobs_in_input_order()
    {
        var (chunks, rejected) = Split(Profiles(25), options: new BulkOptions { MaxItems = 10 });

        Assert.Empty(rejected);
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Index));
        Assert.Equal([0, 10, 20], chunks.Select(c => c.FirstItem));
        Assert.Equal([10, 10, 5], chunks.Select(c => c.Count));
        var emails = chunks
            .SelectMany(c =>
                c.Body.GetProperty("data")
                    .GetProperty("attributes")
                    .GetProperty("profiles")
                    .GetProperty("data")
                    .EnumerateArray()
            )
            .Select(p => p.GetProperty("attributes").GetProperty("email").GetString());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"p{i}@example.com"), emails);
    }

    [Fact]
    public void The_body_is_the_operations_JSON_API_document_with_the_job_type()
    {
        var (chunks, _) = Split(Profiles(1));

        var data = Assert.Single(chunks).Body.GetProperty("data");
        Assert.Equal("profile-bulk-import-job", data.GetProperty("type").GetString());
        Assert.Equal(
            JsonValueKind.Array,
            data.GetProperty("attributes").GetProperty("profiles").GetProperty("data").ValueKind
        );
    }

    [Fact]
    public void Jobs_keep_under_the_byte_limit_measured_as_the_codec_encodes_them_escapes_included()
    {
        // Non-ASCII and HTML-sensitive characters are escaped by the encoder (é → \u00E9): six bytes, not two.
        var items = Enumerable
            .Range(0, 200)
            .Select(i => Profile($"é<{i}>@example.com" + new string('é', i % 37)))
            .ToList();
        const long limit = 4_000;

        var (chunks, rejected) = Split(items, options: new BulkOptions { MaxBytes = limit });

        Assert.Empty(rejected);
        Assert.True(chunks.Count > 5);
        foreach (var chunk in chunks)
        {
            var wire = SystemTextJsonCodec.Default.Encode(chunk.Body);
            Assert.Equal(wire.LongLength, chunk.Bytes);
            Assert.True(chunk.Bytes <= limit, chunk.ToString());
        }
        Assert.Equal(200, chunks.Sum(c => c.Count));
        // Greedy: a job ends only when the next item would not fit.
        for (var i = 0; i < chunks.Count - 1; i++)
        {
            var next = SystemTextJsonCodec.Default.Encode(items[chunks[i + 1].FirstItem]).Length;
            Assert.True(chunks[i].Bytes + 1 + next > limit, $"job {i} had room for the next item");
        }
    }

    [Fact]
    public void An_item_over_the_per_item_limit_is_not_submitted_and_ends_the_job_being_filled()
    {
        var items = Profiles(6).ToList();
        items[3] = Profile(new string('x', 100_001) + "@example.com"); // bulk import takes 100KB per profile

        var (chunks, rejected) = Split(items);

        var tooLarge = Assert.Single(rejected);
        Assert.Equal(3, tooLarge.FirstItem);
        Assert.Equal(1, tooLarge.Count);
        Assert.Contains("at most 100000 per item", tooLarge.Reason);
        Assert.Equal([(0, 3), (4, 2)], chunks.Select(c => (c.FirstItem, c.Count)));
    }

    [Fact]
    public void An_item_larger_than_a_whole_job_may_be_is_not_submitted()
    {
        var items = new[] { Profile("a@example.com"), Profile(new string('y', 600) + "@x") };

        var (chunks, rejected) = Split(items, options: new BulkOptions { MaxBytes = 500 });

        Assert.Equal(1, Assert.Single(rejected).FirstItem);
        Assert.Equal(0, Assert.Single(chunks).FirstItem);
    }

    [Fact]
    public void An_item_that_is_not_a_JSON_object_is_not_submitted()
    {
        var items = new[] { Profile("a@example.com"), JsonDocument.Parse("42").RootElement };

        var (_, rejected) = Split(items);

        Assert.Contains("JSON object", Assert.Single(rejected).Reason);
    }

    [Fact]
    public void A_codec_that_writes_more_than_the_estimate_makes_the_job_split_again_until_it_fits()
    {
        var indented = new IndentingCodec();
        const long limit = 3_000;

        var (chunks, rejected) = Split(
            Profiles(100),
            options: new BulkOptions { MaxBytes = limit },
            codec: indented
        );

        Assert.Empty(rejected);
        Assert.Equal(100, chunks.Sum(c => c.Count));
        foreach (var chunk in chunks)
        {
            Assert.Equal(indented.Encode(chunk.Body).LongLength, chunk.Bytes);
            Assert.True(chunk.Bytes <= limit, chunk.ToString());
        }
    }

    [Fact]
    public void A_lower_limit_in_the_options_applies_and_a_higher_one_is_ignored()
    {
        Assert.Equal(7, new BulkOptions { MaxItems = 7 }.ItemLimit(Import));
        Assert.Equal(10_000, new BulkOptions { MaxItems = 50_000 }.ItemLimit(Import));
        Assert.Equal(5_000_000, new BulkOptions { MaxBytes = 9_000_000 }.ByteLimit(Import));
    }

    [Fact]
    public void The_same_items_give_the_same_jobs_and_fingerprints_and_a_changed_item_another_fingerprint()
    {
        var options = new BulkOptions { MaxItems = 4 };
        var first = Split(Profiles(10), options: options).Chunks;
        var again = Split(Profiles(10), options: options).Chunks;
        var changed = Split(Profiles(10, bad: 5), options: options).Chunks;

        Assert.Equal(first.Select(c => c.Fingerprint), again.Select(c => c.Fingerprint));
        Assert.Equal(first[0].Fingerprint, changed[0].Fingerprint);
        Assert.NotEqual(first[1].Fingerprint, changed[1].Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", first[0].Fingerprint);
    }

    [Fact]
    public void Extra_attributes_and_relationships_go_into_every_job_beside_the_items()
    {
        var options = new BulkOptions
        {
            MaxItems = 2,
            Attributes = JsonDocument
                .Parse("""{"historical_import":true,"profiles":"never taken from here"}""")
                .RootElement,
            Relationships = JsonDocument
                .Parse("""{"list":{"data":{"type":"list","id":"L1"}}}""")
                .RootElement,
        };

        var (chunks, _) = Split(Profiles(3), Job("bulk_subscribe_profiles"), options);

        Assert.Equal(2, chunks.Count);
        foreach (var chunk in chunks)
        {
            var data = chunk.Body.GetProperty("data");
            Assert.True(
                data.GetProperty("attributes").GetProperty("historical_import").GetBoolean()
            );
            Assert.Equal(
                JsonValueKind.Array,
                data.GetProperty("attributes").GetProperty("profiles").GetProperty("data").ValueKind
            );
            Assert.Equal(
                "L1",
                data.GetProperty("relationships")
                    .GetProperty("list")
                    .GetProperty("data")
                    .GetProperty("id")
                    .GetString()
            );
        }
    }

    [Fact]
    public void Items_of_an_object_record_delete_go_under_relationships()
    {
        var record = JsonDocument.Parse("""{"type":"object-record","id":"r1"}""").RootElement;

        var (chunks, _) = Split([record], Job("bulk_delete_object_records"));

        var data = Assert.Single(chunks).Body.GetProperty("data");
        Assert.False(data.TryGetProperty("attributes", out _));
        Assert.Equal(
            "r1",
            data.GetProperty("relationships")
                .GetProperty("object-records")
                .GetProperty("data")[0]
                .GetProperty("id")
                .GetString()
        );
    }

    [Fact]
    public void A_single_item_job_holds_its_item_as_an_object_one_job_per_item()
    {
        var (chunks, _) = Split(Profiles(3), Job("request_profile_deletion"));

        Assert.Equal(3, chunks.Count);
        var profile = chunks[1]
            .Body.GetProperty("data")
            .GetProperty("attributes")
            .GetProperty("profile");
        Assert.Equal(
            "p1@example.com",
            profile.GetProperty("data").GetProperty("attributes").GetProperty("email").GetString()
        );
    }

    [Fact]
    public void Options_that_are_not_JSON_objects_are_refused_at_once()
    {
        var options = new BulkOptions { Attributes = JsonDocument.Parse("[1]").RootElement };

        Assert.Throws<ArgumentException>(() => new BulkChunker(Import, options));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new BulkChunker(Import, new BulkOptions { MaxJobsInFlight = 0 })
        );
    }

    [Fact]
    public void A_chunk_prints_its_range_and_size_never_its_items()
    {
        var (chunks, _) = Split(Profiles(3));

        var text = Assert.Single(chunks).ToString();

        Assert.StartsWith("BulkChunk { Index = 0, items 0-2, ", text);
        Assert.DoesNotContain("example.com", text);
    }

    /// <summary>Writes JSON indented: many more bytes than the compact estimate.</summary>
    private sealed class IndentingCodec : IJsonCodec
    {
        public byte[] Encode(object? value)
        {
            var element = (JsonElement)value!;
            using var stream = new MemoryStream();
            using (
                var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })
            )
                element.WriteTo(writer);
            return stream.ToArray();
        }

        public JsonElement Parse(ReadOnlyMemory<byte> utf8) => JsonDocument.Parse(utf8).RootElement;
    }
}
