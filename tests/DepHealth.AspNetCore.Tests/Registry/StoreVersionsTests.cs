using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>The versions a replica wrote or applied decide which changes of the store's feed are echoes to skip.</summary>
[Trait("Category", "unit")]
public sealed class StoreVersionsTests
{
    private static readonly EndpointKey A = new("a", "a.svc", 80);
    private static readonly EndpointKey B = new("b", "b.svc", 80);

    [Fact]
    public void A_change_no_newer_than_the_recorded_version_is_already_applied()
    {
        var versions = new StoreVersions();
        versions.Record(A, 5, deleted: false);

        Assert.True(versions.IsApplied(A, 4));
        Assert.True(versions.IsApplied(A, 5));
        Assert.False(versions.IsApplied(A, 6));
    }

    [Fact]
    public void A_change_of_an_unknown_key_is_not_applied()
    {
        var versions = new StoreVersions();
        versions.Record(A, 5, deleted: false);

        Assert.False(versions.IsApplied(B, 1));
    }

    [Fact]
    public void A_delete_is_remembered_until_the_feed_has_passed_it()
    {
        var versions = new StoreVersions();
        versions.Record(A, 5, deleted: true);

        versions.FeedPassed(4);
        var beforeEcho = versions.IsApplied(A, 5);
        versions.FeedPassed(5);

        Assert.True(beforeEcho);
        Assert.Equal(0, versions.Count);
    }

    [Fact]
    public void A_put_is_remembered_after_the_feed_has_passed_it()
    {
        var versions = new StoreVersions();
        versions.Record(A, 5, deleted: false);

        versions.FeedPassed(9);

        Assert.True(versions.IsApplied(A, 5));
    }

    [Fact]
    public void A_replace_expects_the_last_version_of_a_live_key_and_zero_otherwise()
    {
        var versions = new StoreVersions();
        versions.Record(A, 5, deleted: false);
        versions.Record(B, 7, deleted: true);

        Assert.Equal(5, versions.Expected(A));
        Assert.Equal(0, versions.Expected(B));
        Assert.Equal(0, versions.Expected(new EndpointKey("c", "c.svc", 80)));
    }

    [Fact]
    public void A_snapshot_forgets_keys_it_lacks_unless_changed_here_after_it()
    {
        var versions = new StoreVersions();
        versions.Record(A, 3, deleted: false);
        versions.Record(B, 8, deleted: false);

        versions.SnapshotApplied(5, stored: _ => false);

        Assert.False(versions.IsApplied(A, 3));
        Assert.True(versions.IsApplied(B, 8));
    }
}
