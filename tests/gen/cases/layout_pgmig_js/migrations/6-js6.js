module.exports.generateSql = () => "SELECT 6";
