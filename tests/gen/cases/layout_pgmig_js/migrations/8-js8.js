module.exports.generateSql = () => "SELECT 8";
