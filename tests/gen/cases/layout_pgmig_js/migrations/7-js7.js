module.exports.generateSql = () => "SELECT 7";
