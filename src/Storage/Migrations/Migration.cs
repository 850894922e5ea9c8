namespace Odock.Storage.Migrations;

/// <summary>One versioned schema change: an embedded SQL script for one engine.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
