module.exports.generateSql = () => "SELECT 9";
