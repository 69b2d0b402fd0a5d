module.exports.generateSql = () => "ALTER TABLE users ADD COLUMN name text";
